// The scoring engine: rules over a visitor's events, as of a given clock.
// Runs on every event in the page, so the loop over events reads the event
// structs directly (no JSON form is built) and allocates only its lists of
// events and the reasons.
#include "loopkit/scoring.h"

#include <algorithm>
#include <array>

#include "loopkit/text.h"

namespace loopkit {

using nlohmann::json;

namespace {

// round(2^30 * 2^(-i/64)) for i = 0..64, computed once with 50-digit
// decimal arithmetic. Integers, so that decay needs no libm: exp2 and pow
// may differ in the last bit between glibc and Emscripten's musl.
constexpr std::int64_t exp2_table[65] = {
    1073741824, 1062175491, 1050733751, 1039415261, 1028218693, 1017142735,
    1006186087, 995347464,  984625594,  974019220,  963527098,  953147997,
    942880699,  932724001,  922676710,  912737649,  902905651,  893179563,
    883558244,  874040567,  864625413,  855311680,  846098274,  836984114,
    827968132,  819049271,  810226483,  801498734,  792865000,  784324269,
    775875538,  767517817,  759250125,  751071493,  742980960,  734977579,
    727060411,  719228525,  711481005,  703816941,  696235434,  688735596,
    681316545,  673977412,  666717336,  659535466,  652430958,  645402981,
    638450708,  631573326,  624770026,  618040012,  611382493,  604796689,
    598281827,  591837143,  585461881,  579155293,  572916640,  566745190,
    560640218,  554601009,  548626854,  542717053,  536870912,
};

using lead_profile = std::array<std::pair<std::string_view, const event*>,
                                scoring_lead_field_count>;

// Indexes in scoring_lead_fields; the ones before email_domain are the lead
// form's fields.
constexpr std::size_t email_domain_slot = 7;
constexpr std::size_t form_slot = 8;
static_assert(scoring_lead_field_count == form_slot + 1);

// n bytes of text against a lower-cased value, ignoring ASCII case. Written
// out here rather than through iequals: this runs for every event and rule,
// and the page's size-optimized build (-Oz) inlines no helper it calls.
bool same_ci(const char* text, const char* lower, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if ((c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c) != lower[i]) {
      return false;
    }
  }
  return true;
}

bool equals_ci(std::string_view text, const std::string& lower) {
  return text.size() == lower.size() &&
         same_ci(text.data(), lower.data(), lower.size());
}

bool contains_ci(std::string_view text, const std::string& lower) {
  if (lower.size() > text.size()) return false;
  for (std::size_t i = 0; i + lower.size() <= text.size(); ++i) {
    if (same_ci(text.data() + i, lower.data(), lower.size())) return true;
  }
  return false;
}

// The integer a text starts with: "51-200" is 51, "1,000+" is 1000, "-3" is
// -3. Form fields hold company sizes as bands, and a band's lower bound is
// what a range test wants.
std::optional<std::int64_t> leading_integer(std::string_view text) {
  text = trim(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  std::int64_t n = 0;
  int digits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool separator = c == ',' && digits > 0 && i + 1 < text.size() &&
                           text[i + 1] >= '0' && text[i + 1] <= '9';
    if (separator) continue;
    if (c < '0' || c > '9') break;
    if (++digits > 15) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (digits == 0) return std::nullopt;
  return negative ? -n : n;
}

bool passes(const condition& c, std::string_view text) {
  switch (c.kind) {
    case condition::op::equals: return equals_ci(text, c.values.front());
    case condition::op::contains: return contains_ci(text, c.values.front());
    case condition::op::prefix: {
      const std::string& p = c.values.front();
      return text.size() >= p.size() &&
             same_ci(text.data(), p.data(), p.size());
    }
    case condition::op::one_of:
      return std::any_of(
          c.values.begin(), c.values.end(),
          [&](const std::string& v) { return equals_ci(text, v); });
    case condition::op::regex: return c.regex.search(text);
    case condition::op::range: {
      const auto n = leading_integer(text);
      return n && (!c.min || *n >= *c.min) && (!c.max || *n <= *c.max);
    }
  }
  return false;
}

// A scalar under props, as text: strings as they are, numbers and booleans
// as their JSON text. Objects, arrays, null and missing keys give nothing.
std::optional<std::string_view> props_text(const json& props,
                                           const condition& c,
                                           std::string& scratch) {
  const json* at = &props;
  for (const auto& key : c.props_path) {
    if (!at->is_object()) return std::nullopt;
    const auto it = at->find(key);
    if (it == at->end()) return std::nullopt;
    at = &*it;
  }
  if (at->is_string())
    return std::string_view(at->get_ref<const std::string&>());
  if (!at->is_number() && !at->is_boolean()) return std::nullopt;
  scratch = dump(*at);
  return std::string_view(scratch);
}

std::optional<std::string_view> event_text(const event& e, const condition& c,
                                           std::string& scratch) {
  const campaign& k = e.touch.campaign;
  switch (c.source) {
    case event_field::id: return e.id;
    case event_field::type: return to_string(e.type);
    case event_field::name: return e.name;
    case event_field::time:
      scratch = std::to_string(e.time);
      return std::string_view(scratch);
    case event_field::visitor_id: return e.visitor_id;
    case event_field::session_id: return e.session_id;
    case event_field::site: return e.site;
    case event_field::page_url: return e.page.url;
    case event_field::page_path: return e.page.path;
    case event_field::page_title: return e.page.title;
    case event_field::page_referrer: return e.page.referrer;
    case event_field::campaign_source: return k.source;
    case event_field::campaign_medium: return k.medium;
    case event_field::campaign_name: return k.name;
    case event_field::campaign_term: return k.term;
    case event_field::campaign_content: return k.content;
    case event_field::campaign_id: return k.id;
    case event_field::campaign_click_id: return k.click_id;
    case event_field::campaign_click_id_type: return k.click_id_type;
    case event_field::campaign_discount_code: return k.discount_code;
    case event_field::referrer_medium:
      return to_string(e.touch.referrer.medium);
    case event_field::referrer_source: return e.touch.referrer.source;
    case event_field::referrer_term: return e.touch.referrer.term;
    case event_field::referrer_host: return e.touch.referrer.host;
    case event_field::referrer_url: return e.touch.referrer_url;
    case event_field::landing_page: return e.touch.landing_page;
    case event_field::touch_time:
      scratch = std::to_string(e.touch.time);
      return std::string_view(scratch);
    case event_field::touch_source: return e.touch.source;
    case event_field::touch_medium: return e.touch.medium;
    case event_field::touch_channel: return e.touch.channel;
    case event_field::props: return props_text(e.props, c, scratch);
  }
  return std::nullopt;
}

// The event's type is already the rule's (see history::of).
bool event_matches(const score_rule& rule, const event& e,
                   std::string& scratch) {
  if (!rule.name.empty() && e.name != rule.name) return false;
  for (const auto& c : rule.where) {
    const auto text = event_text(e, c, scratch);
    if (!text || !passes(c, *text)) return false;
  }
  return true;
}

// The lead's fields: for each, the latest non-empty value among its lead
// events and the event it came from. events are oldest first.
lead_profile build_profile(const std::vector<const event*>& events) {
  lead_profile profile{};
  const auto take = [](const json& obj, const char* key, auto& slot,
                       const event* from) {
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return;
    const std::string& text = it->get_ref<const std::string&>();
    if (!trim(text).empty()) slot = {text, from};
  };
  for (const event* e : events) {
    if (e->type != event_type::lead || !e->props.is_object()) continue;
    if (const auto f = e->props.find("fields");
        f != e->props.end() && f->is_object()) {
      for (std::size_t i = 0; i < email_domain_slot; ++i) {
        take(*f, scoring_lead_fields[i], profile[i], e);
      }
    }
    take(e->props, "email_domain", profile[email_domain_slot], e);
    take(e->props, "form", profile[form_slot], e);
  }
  return profile;
}

// What one rule adds, before it becomes a reason.
struct tally {
  centipoints raw = 0;
  centipoints decayed = 0;
  int count = 0;
  std::vector<const event*> behind;  // newest first
};

void note(tally& t, const event& e) {
  if (t.behind.size() < max_reason_events) t.behind.push_back(&e);
}

constexpr std::size_t event_type_count =
    static_cast<std::size_t>(event_type::status_change) + 1;

// The scored events, newest first: all of them, and by type, so that a
// rule for one type never looks at the others. status_change events are
// left out here.
struct history {
  std::vector<const event*> all;
  std::array<std::vector<const event*>, event_type_count> by_type;

  const std::vector<const event*>& of(const score_rule& rule) const {
    return rule.event ? by_type[static_cast<std::size_t>(*rule.event)] : all;
  }
};

struct context {
  const scoring_model& model;
  const history& events;
  const lead_profile& profile;
  std::int64_t now;
  std::string scratch;
};

bool tally_events(const score_rule& rule, const score_part& part, context& cx,
                  tally& t) {
  const centipoints p = rule.points * centi_per_point;
  const auto decayed = [&](const event& e) {
    return decay(p, cx.now - e.time, part.half_life_ms);
  };
  std::vector<const event*> hits;  // at_least only
  for (const event* e : cx.events.of(rule)) {
    if (!event_matches(rule, *e, cx.scratch)) continue;
    ++t.count;
    if (rule.count == count_mode::each) {
      t.raw += p;
      t.decayed += decayed(*e);
      note(t, *e);
    } else if (rule.count == count_mode::once && t.count == 1) {
      // The latest match scores: its points have decayed the least.
      t.raw = p;
      t.decayed = decayed(*e);
      note(t, *e);
    } else if (rule.count == count_mode::at_least) {
      hits.push_back(e);
    }
  }
  if (rule.count != count_mode::at_least) return t.count > 0;

  // The latest run of at_least events that fits in the window; its points
  // decay from the event that completed it.
  const auto n = static_cast<std::size_t>(rule.at_least);
  for (std::size_t j = 0; j + n <= hits.size(); ++j) {
    if (hits[j]->time - hits[j + n - 1]->time > rule.within_ms) continue;
    t.raw = p;
    t.decayed = decayed(*hits[j]);
    for (std::size_t i = j; i < j + n; ++i) note(t, *hits[i]);
    return true;
  }
  return false;
}

bool tally_recency(const score_rule& rule, context& cx, tally& t) {
  for (const event* e : cx.events.of(rule)) {
    if (!event_matches(rule, *e, cx.scratch)) continue;
    if (cx.now - e->time >= rule.recency_ms) return false;
    t.raw = t.decayed = rule.points * centi_per_point;
    t.count = 1;
    note(t, *e);
    return true;
  }
  return false;
}

bool tally_fields(const score_rule& rule, context& cx, tally& t) {
  for (const auto& c : rule.fields) {
    const auto& [text, from] = cx.profile[c.lead_field];
    if (from == nullptr || !passes(c, text)) return false;
    if (std::find(t.behind.begin(), t.behind.end(), from) == t.behind.end()) {
      note(t, *from);
    }
  }
  std::stable_sort(
      t.behind.begin(), t.behind.end(),
      [](const event* a, const event* b) { return a->time > b->time; });
  t.raw = t.decayed = rule.points * centi_per_point;
  t.count = 1;
  return true;
}

bool tally_email(const score_rule& rule, context& cx, tally& t) {
  const auto& [text, from] = cx.profile[email_domain_slot];
  if (from == nullptr) return false;
  const std::string domain = ascii_lower(text);
  const auto listed = [&](const std::string& d) {
    return domain == d || (domain.size() > d.size() && ends_with(domain, d) &&
                           domain[domain.size() - d.size() - 1] == '.');
  };
  const bool match =
      rule.email == email_class::listed
          ? std::any_of(rule.domains.begin(), rule.domains.end(), listed)
          : classify_email_domain(domain, cx.model) == rule.email;
  if (!match) return false;
  t.raw = t.decayed = rule.points * centi_per_point;
  t.count = 1;
  note(t, *from);
  return true;
}

centipoints clamp_to(centipoints v, int cap) {
  if (cap <= 0) return v;
  const centipoints limit = cap * centi_per_point;
  return std::clamp(v, -limit, limit);
}

// Sums one part's rules into reasons; returns the part's total.
centipoints score_part_rules(const score_part& part, score_kind kind,
                             context& cx, std::vector<score_reason>& reasons) {
  centipoints total = 0;
  for (const auto& rule : part.rules) {
    tally t;
    bool matched = false;
    switch (rule.kind) {
      case rule_kind::event: matched = tally_events(rule, part, cx, t); break;
      case rule_kind::recency: matched = tally_recency(rule, cx, t); break;
      case rule_kind::fields: matched = tally_fields(rule, cx, t); break;
      case rule_kind::email: matched = tally_email(rule, cx, t); break;
    }
    if (!matched) continue;

    score_reason r;
    r.rule = rule.id;
    r.description = rule.description;
    r.score = kind;
    r.points = clamp_to(t.decayed, rule.max);
    r.before_decay = clamp_to(t.raw, rule.max);
    r.count = t.count;
    for (const event* e : t.behind) r.events.push_back(e->id);
    total += r.points;
    reasons.push_back(std::move(r));
  }

  total = std::max<centipoints>(total, 0);
  if (part.max > 0) total = std::min(total, part.max * centi_per_point);
  return total;
}

std::string level_of(const score_part& part, centipoints total) {
  for (const auto& level : part.levels) {
    if (total >= level.min * centi_per_point) return level.name;
  }
  return {};
}

}  // namespace

const char* to_string(score_kind k) {
  return k == score_kind::fit ? "fit" : "engagement";
}

centipoints decay(centipoints value, std::int64_t age_ms,
                  std::int64_t half_life_ms) {
  if (half_life_ms <= 0 || age_ms <= 0 || value == 0) return value;
  const std::uint64_t magnitude =
      value < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(value)
                : static_cast<std::uint64_t>(value);
  if (magnitude >= (std::uint64_t{1} << 20)) {
    // Far beyond any rule's points (10000); halve first so the product
    // below fits in 64 bits.
    return decay(value / 2, age_ms, half_life_ms) * 2;
  }
  // magnitude * factor < 2^50, so after 20 halvings less than half a
  // hundredth is left.
  const std::int64_t halvings = age_ms / half_life_ms;
  if (halvings > 20) return 0;

  // The rest of a half-life as a 20-bit fraction: 6 bits pick the table
  // step, 14 interpolate within it. rest < half_life, and a half-life of at
  // most 3650 days is below 2^39 ms, so rest << 20 fits.
  const std::int64_t rest = age_ms % half_life_ms;
  const std::int64_t fraction = (rest << 20) / half_life_ms;
  const std::int64_t step = fraction >> 14;
  const std::int64_t within = fraction & 16383;
  const std::int64_t factor =
      exp2_table[step] -
      (((exp2_table[step] - exp2_table[step + 1]) * within) >> 14);

  const int shift = 30 + static_cast<int>(halvings);
  const std::uint64_t rounded =
      (magnitude * static_cast<std::uint64_t>(factor) +
       (std::uint64_t{1} << (shift - 1))) >>
      shift;
  const auto out = static_cast<centipoints>(rounded);
  return value < 0 ? -out : out;
}

lead_score score_events(const scoring_model& model,
                        const std::vector<event>& events, std::int64_t now_ms) {
  // Oldest first, ties in the order given; a tracker's history is already
  // in order, so the sort is usually skipped.
  std::vector<const event*> order;
  order.reserve(events.size());
  for (const auto& e : events) order.push_back(&e);
  const auto older = [](const event* a, const event* b) {
    return a->time < b->time;
  };
  if (!std::is_sorted(order.begin(), order.end(), older)) {
    std::stable_sort(order.begin(), order.end(), older);
  }
  const lead_profile profile = build_profile(order);

  history h;
  h.all.reserve(order.size());
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    if ((*it)->type == event_type::status_change) continue;
    h.all.push_back(*it);
    h.by_type[static_cast<std::size_t>((*it)->type)].push_back(*it);
  }

  lead_score s;
  context cx{model, h, profile, now_ms, {}};
  s.fit = score_part_rules(model.fit, score_kind::fit, cx, s.reasons);
  s.engagement =
      score_part_rules(model.engagement, score_kind::engagement, cx, s.reasons);
  s.points = s.fit + s.engagement;
  s.grade = level_of(model.fit, s.fit);
  s.stage = level_of(model.engagement, s.engagement);
  for (const auto& status : model.statuses) {
    const bool fit_ok =
        !status.fit_min || s.fit >= *status.fit_min * centi_per_point;
    const bool engaged =
        !status.engagement_min ||
        s.engagement >= *status.engagement_min * centi_per_point;
    if (fit_ok && engaged) {
      s.status = status.status;
      break;
    }
  }
  return s;
}

json points_json(centipoints p) {
  if (p % centi_per_point == 0) return json(p / centi_per_point);
  // Correctly rounded division, and nlohmann prints the shortest text that
  // reads back the same: 7.5, 3.75, identical in both builds.
  return json(static_cast<double>(p) / static_cast<double>(centi_per_point));
}

json to_json(const lead_score& s) {
  json reasons = json::array();
  for (const auto& r : s.reasons) {
    reasons.push_back({{"rule", r.rule},
                       {"description", r.description},
                       {"score", to_string(r.score)},
                       {"points", points_json(r.points)},
                       {"before_decay", points_json(r.before_decay)},
                       {"count", r.count},
                       {"events", r.events}});
  }
  return json{{"points", points_json(s.points)},
              {"fit", points_json(s.fit)},
              {"engagement", points_json(s.engagement)},
              {"grade", s.grade},
              {"stage", s.stage},
              {"status", s.status},
              {"reasons", std::move(reasons)}};
}

}  // namespace loopkit
