// Reading and validating scoring models (docs/scoring.md). nlohmann's get<>
// throws on a wrong type and the WebAssembly build cannot catch, so every
// value's type is checked before it is read.
#include <algorithm>
#include <initializer_list>

#include "loopkit/scoring.h"
#include "loopkit/text.h"

namespace loopkit {

using nlohmann::json;

namespace {

const char* const default_model_text = R"json({
  "version": 2,
  "fit": {
    "rules": [
      {"id": "senior_title", "description": "Decision-maker job title",
       "fields": {"job_title": {"regex":
         "(^|\\W)(ceo|cto|cfo|coo|cmo|founder|owner|president|vp|head|director|chief)(\\W|$)"}},
       "points": 20},
      {"id": "work_email", "description": "Company email address",
       "email": "corporate", "points": 10},
      {"id": "free_mail", "description": "Free email provider",
       "email": "free_mail", "points": -10},
      {"id": "disposable_mail", "description": "Throwaway email address",
       "email": "disposable", "points": -30}
    ],
    "grades": [
      {"grade": "A", "min": 30}, {"grade": "B", "min": 20},
      {"grade": "C", "min": 10}, {"grade": "D", "min": 0}
    ]
  },
  "engagement": {
    "rules": [
      {"id": "visited_pricing", "description": "Viewed the pricing page",
       "event": "page_view", "where": {"page.path": {"prefix": "/pricing"}},
       "count": "once", "points": 15},
      {"id": "clicked_cta", "description": "Clicked a call to action",
       "event": "cta_click", "points": 5, "max": 25},
      {"id": "used_discount", "description": "Used a discount code",
       "event": "discount_code", "count": "once", "points": 10},
      {"id": "submitted_form", "description": "Submitted a lead form",
       "event": "lead", "count": "once", "points": 30}
    ],
    "stages": [
      {"stage": "hot", "min": 60}, {"stage": "warm", "min": 30},
      {"stage": "cold", "min": 0}
    ]
  },
  "statuses": [{"status": "mql", "grade": "B", "stage": "warm"}]
})json";

constexpr int max_rule_points = 10000;
constexpr int max_total_points = 1000000;
constexpr std::int64_t max_threshold = 1000000;
constexpr std::size_t max_rules = 256;
constexpr std::size_t max_domains = 10000;
constexpr std::int64_t minute_ms = 60 * 1000;
constexpr std::int64_t max_duration_ms = 3650 * 24 * 60 * minute_ms;

// A key as one step of a JSON pointer: '~' and '/' are escaped
// (https://www.rfc-editor.org/rfc/rfc6901#section-3).
std::string step(std::string_view key) {
  std::string out = "/";
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string step(std::size_t index) { return "/" + std::to_string(index); }

using maybe_error = std::optional<json_error>;

maybe_error unknown_keys(const json& obj, const std::string& path,
                         std::initializer_list<std::string_view> allowed) {
  for (const auto& item : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) ==
        allowed.end()) {
      return json_error{path + step(item.key()), "unknown field"};
    }
  }
  return std::nullopt;
}

const json* member(const json& obj, std::string_view key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

maybe_error read_text(const json& obj, std::string_view key,
                      const std::string& path, std::string& out,
                      bool required) {
  const json* v = member(obj, key);
  if (v == nullptr) {
    return required ? maybe_error(json_error{path + step(key), "is required"})
                    : std::nullopt;
  }
  if (!v->is_string() ||
      (required && v->get_ref<const std::string&>().empty())) {
    return json_error{path + step(key), required ? "must be a non-empty string"
                                                 : "must be a string"};
  }
  out = v->get<std::string>();
  return std::nullopt;
}

maybe_error read_int(const json& v, const std::string& path, std::int64_t lo,
                     std::int64_t hi, std::int64_t& out) {
  if (!v.is_number_integer()) return json_error{path, "must be an integer"};
  // An unsigned beyond INT64_MAX would wrap in get<std::int64_t>.
  const bool too_big = v.is_number_unsigned() &&
                       v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi);
  if (!too_big) out = v.get<std::int64_t>();
  if (too_big || out < lo || out > hi) {
    return json_error{path, "must be from " + std::to_string(lo) + " to " +
                                std::to_string(hi)};
  }
  return std::nullopt;
}

// "90m", "12h", "30d", "2w": a whole number and a unit, in milliseconds.
// Strings rather than numbers, so a half-life can never be read in the
// wrong unit.
maybe_error read_duration(const json& v, const std::string& path,
                          std::int64_t& out) {
  const std::string shape =
      "must be a duration such as \"30d\" (a whole "
      "number of m, h, d or w)";
  if (!v.is_string()) return json_error{path, shape};
  const std::string_view s = v.get_ref<const std::string&>();
  if (!s.empty() && s.front() == '-') {
    return json_error{path, "must not be negative"};
  }
  if (s.size() < 2 || s.size() > 8) return json_error{path, shape};
  std::int64_t n = 0;
  for (const char c : s.substr(0, s.size() - 1)) {
    if (c < '0' || c > '9') return json_error{path, shape};
    n = n * 10 + (c - '0');
  }
  std::int64_t unit = 0;
  switch (s.back()) {
    case 'm': unit = minute_ms; break;
    case 'h': unit = 60 * minute_ms; break;
    case 'd': unit = 24 * 60 * minute_ms; break;
    case 'w': unit = 7 * 24 * 60 * minute_ms; break;
    default: return json_error{path, shape};
  }
  if (n == 0) return json_error{path, "must be longer than zero"};
  if (n > max_duration_ms / unit) {
    return json_error{path, "must be at most 3650 days"};
  }
  out = n * unit;
  return std::nullopt;
}

maybe_error read_strings(const json& v, const std::string& path,
                         std::vector<std::string>& out) {
  if (!v.is_array() || v.empty()) {
    return json_error{path, "must be a non-empty array of strings"};
  }
  if (v.size() > max_domains) return json_error{path, "too many values"};
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string() || v[i].get_ref<const std::string&>().empty()) {
      return json_error{path + step(i), "must be a non-empty string"};
    }
    out.push_back(ascii_lower(v[i].get_ref<const std::string&>()));
  }
  return std::nullopt;
}

struct named_field {
  const char* name;
  event_field field;
};

constexpr named_field event_fields[] = {
    {"id", event_field::id},
    {"type", event_field::type},
    {"name", event_field::name},
    {"time", event_field::time},
    {"visitor_id", event_field::visitor_id},
    {"session_id", event_field::session_id},
    {"site", event_field::site},
    {"page.url", event_field::page_url},
    {"page.path", event_field::page_path},
    {"page.title", event_field::page_title},
    {"page.referrer", event_field::page_referrer},
    {"touch.campaign.source", event_field::campaign_source},
    {"touch.campaign.medium", event_field::campaign_medium},
    {"touch.campaign.name", event_field::campaign_name},
    {"touch.campaign.term", event_field::campaign_term},
    {"touch.campaign.content", event_field::campaign_content},
    {"touch.campaign.id", event_field::campaign_id},
    {"touch.campaign.click_id", event_field::campaign_click_id},
    {"touch.campaign.click_id_type", event_field::campaign_click_id_type},
    {"touch.campaign.discount_code", event_field::campaign_discount_code},
    {"touch.referrer.medium", event_field::referrer_medium},
    {"touch.referrer.source", event_field::referrer_source},
    {"touch.referrer.term", event_field::referrer_term},
    {"touch.referrer.host", event_field::referrer_host},
    {"touch.referrer.url", event_field::referrer_url},
    {"touch.landing_page", event_field::landing_page},
    {"touch.time", event_field::touch_time},
    {"touch.source", event_field::touch_source},
    {"touch.medium", event_field::touch_medium},
    {"touch.channel", event_field::touch_channel},
};

// Resolves a dotted path in an event's JSON form; "props.a.b" may name any
// key under props.
maybe_error resolve_event_field(const std::string& dotted,
                                const std::string& path, condition& c) {
  if (starts_with(dotted, "props.")) {
    std::size_t start = 6;
    while (start <= dotted.size()) {
      std::size_t end = dotted.find('.', start);
      if (end == std::string::npos) end = dotted.size();
      if (end == start) return json_error{path, "empty key in field path"};
      c.props_path.push_back(dotted.substr(start, end - start));
      start = end + 1;
    }
    c.source = event_field::props;
    return std::nullopt;
  }
  for (const auto& f : event_fields) {
    if (dotted == f.name) {
      c.source = f.field;
      return std::nullopt;
    }
  }
  return json_error{path,
                    "unknown event field; see docs/events.md, or use "
                    "props.<key>"};
}

maybe_error resolve_lead_field(const std::string& name, const std::string& path,
                               condition& c) {
  for (std::size_t i = 0; i < scoring_lead_field_count; ++i) {
    if (name == scoring_lead_fields[i]) {
      c.lead_field = i;
      return std::nullopt;
    }
  }
  return json_error{path,
                    "unknown lead field; one of name, first_name, "
                    "last_name, company, job_title, country, "
                    "company_size, email_domain, form"};
}

maybe_error read_range(const json& spec, const std::string& path,
                       condition& out) {
  if (!spec.is_object() || spec.empty()) {
    return json_error{path, "must be an object with min, max or both"};
  }
  if (auto e = unknown_keys(spec, path, {"min", "max"})) return e;
  constexpr std::int64_t limit = 999999999999999;  // 15 digits
  for (const char* key : {"min", "max"}) {
    if (const json* v = member(spec, key)) {
      std::int64_t n = 0;
      if (auto e = read_int(*v, path + step(key), -limit, limit, n)) return e;
      (std::string_view(key) == "min" ? out.min : out.max) = n;
    }
  }
  if (out.min && out.max && *out.min > *out.max) {
    return json_error{path + "/max", "must not be below min"};
  }
  return std::nullopt;
}

// A string (equals) or an object with exactly one operator.
maybe_error read_test(const json& spec, const std::string& path,
                      condition& out) {
  if (spec.is_string()) {
    out.kind = condition::op::equals;
    out.values = {ascii_lower(spec.get_ref<const std::string&>())};
    return std::nullopt;
  }
  if (!spec.is_object() || spec.size() != 1) {
    return json_error{path,
                      "must be a string or an object with one of "
                      "equals, contains, prefix, one_of, regex, range"};
  }
  const std::string op = spec.begin().key();
  const json& value = spec.begin().value();
  const std::string op_path = path + step(op);

  if (op == "one_of") {
    out.kind = condition::op::one_of;
    return read_strings(value, op_path, out.values);
  }
  if (op == "range") {
    out.kind = condition::op::range;
    return read_range(value, op_path, out);
  }
  if (op == "equals") {
    out.kind = condition::op::equals;
  } else if (op == "contains") {
    out.kind = condition::op::contains;
  } else if (op == "prefix") {
    out.kind = condition::op::prefix;
  } else if (op == "regex") {
    out.kind = condition::op::regex;
  } else {
    return json_error{op_path, "unknown operator"};
  }
  if (!value.is_string()) return json_error{op_path, "must be a string"};
  const std::string& text = value.get_ref<const std::string&>();
  if (out.kind == condition::op::regex) {
    auto compiled = compile_pattern(text, true);
    if (!compiled) {
      return json_error{op_path, std::string("bad regex: ") +
                                     to_string(compiled.error()) +
                                     " (docs/scoring.md lists the syntax)"};
    }
    out.regex = std::move(*compiled);
    return std::nullopt;
  }
  out.values = {ascii_lower(text)};
  return std::nullopt;
}

// "where" (event fields) or "fields" (lead fields): an object of tests that
// must all pass.
maybe_error read_conditions(const json& v, const std::string& path, bool lead,
                            std::vector<condition>& out) {
  if (!v.is_object() || v.empty()) {
    return json_error{path, "must be a non-empty object"};
  }
  for (const auto& item : v.items()) {
    condition c;
    c.field = item.key();
    const std::string at = path + step(item.key());
    if (c.field.empty()) return json_error{at, "field name must not be empty"};
    if (auto e = lead ? resolve_lead_field(c.field, at, c)
                      : resolve_event_field(c.field, at, c)) {
      return e;
    }
    if (auto e = read_test(item.value(), at, c)) return e;
    out.push_back(std::move(c));
  }
  return std::nullopt;
}

maybe_error read_count(const json& v, const std::string& path,
                       score_rule& rule) {
  if (v.is_string() && v.get_ref<const std::string&>() == "each") {
    rule.count = count_mode::each;
    return std::nullopt;
  }
  if (v.is_string() && v.get_ref<const std::string&>() == "once") {
    rule.count = count_mode::once;
    return std::nullopt;
  }
  if (!v.is_object()) {
    return json_error{path,
                      "must be \"each\", \"once\" or "
                      "{\"at_least\": N, \"within\": \"7d\"}"};
  }
  if (auto e = unknown_keys(v, path, {"at_least", "within"})) return e;
  const json* n = member(v, "at_least");
  const json* within = member(v, "within");
  if (n == nullptr) return json_error{path + "/at_least", "is required"};
  if (within == nullptr) return json_error{path + "/within", "is required"};
  std::int64_t times = 0;
  if (auto e = read_int(*n, path + "/at_least", 1, 1000, times)) return e;
  if (auto e = read_duration(*within, path + "/within", rule.within_ms)) {
    return e;
  }
  rule.count = count_mode::at_least;
  rule.at_least = static_cast<int>(times);
  return std::nullopt;
}

maybe_error read_email(const json& v, const std::string& path,
                       score_rule& rule) {
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "free_mail") {
      rule.email = email_class::free_mail;
    } else if (s == "disposable") {
      rule.email = email_class::disposable;
    } else if (s == "corporate") {
      rule.email = email_class::corporate;
    } else {
      return json_error{path,
                        "must be free_mail, disposable, corporate or "
                        "{\"domains\": [...]}"};
    }
    return std::nullopt;
  }
  if (!v.is_object()) {
    return json_error{path,
                      "must be free_mail, disposable, corporate or "
                      "{\"domains\": [...]}"};
  }
  if (auto e = unknown_keys(v, path, {"domains"})) return e;
  const json* domains = member(v, "domains");
  if (domains == nullptr) return json_error{path + "/domains", "is required"};
  rule.email = email_class::listed;
  return read_strings(*domains, path + "/domains", rule.domains);
}

// Which of event, fields, email and recency a rule is: at most one of the
// last three, and an event rule when none of them is given.
maybe_error read_kind(const json& j, const std::string& path,
                      score_rule& rule) {
  const char* given = nullptr;
  for (const char* key : {"fields", "email", "recency"}) {
    if (member(j, key) == nullptr) continue;
    if (given != nullptr) {
      return json_error{path + step(key), std::string("a rule is one kind: "
                                                      "this one has ") +
                                              given + " already"};
    }
    given = key;
  }
  const std::string_view kind = given ? given : "event";
  rule.kind = kind == "fields"    ? rule_kind::fields
              : kind == "email"   ? rule_kind::email
              : kind == "recency" ? rule_kind::recency
                                  : rule_kind::event;
  if (rule.kind == rule_kind::fields || rule.kind == rule_kind::email) {
    for (const char* key : {"event", "name", "where", "count"}) {
      if (member(j, key) != nullptr) {
        return json_error{path + step(key),
                          "only event and recency rules "
                          "read events"};
      }
    }
  }
  if (rule.kind == rule_kind::recency && member(j, "count") != nullptr) {
    return json_error{path + "/count",
                      "a recency rule looks at the last "
                      "event only"};
  }
  return std::nullopt;
}

maybe_error read_rule(const json& j, const std::string& path, int version,
                      score_rule& rule) {
  if (!j.is_object()) return json_error{path, "must be an object"};
  if (auto e = version == 1
                   ? unknown_keys(j, path,
                                  {"id", "description", "event", "name",
                                   "where", "points", "once"})
                   : unknown_keys(j, path,
                                  {"id", "description", "event", "name",
                                   "where", "count", "max", "points", "fields",
                                   "email", "recency"})) {
    return e;
  }
  if (auto e = read_text(j, "id", path, rule.id, true)) return e;
  if (auto e = read_text(j, "description", path, rule.description, false)) {
    return e;
  }
  if (auto e = read_kind(j, path, rule)) return e;

  if (const json* ev = member(j, "event")) {
    const auto type = ev->is_string()
                          ? parse_event_type(ev->get_ref<const std::string&>())
                          : std::nullopt;
    if (!type) return json_error{path + "/event", "unknown event type"};
    if (*type == event_type::status_change) {
      return json_error{path + "/event", "status changes are never scored"};
    }
    rule.event = type;
  }
  if (auto e = read_text(j, "name", path, rule.name, false)) return e;
  if (const json* w = member(j, "where")) {
    if (auto e = read_conditions(*w, path + "/where", false, rule.where)) {
      return e;
    }
  }
  if (const json* f = member(j, "fields")) {
    if (auto e = read_conditions(*f, path + "/fields", true, rule.fields)) {
      return e;
    }
  }
  if (const json* m = member(j, "email")) {
    if (auto e = read_email(*m, path + "/email", rule)) return e;
  }
  if (const json* r = member(j, "recency")) {
    if (auto e = read_duration(*r, path + "/recency", rule.recency_ms)) {
      return e;
    }
  }
  if (const json* c = member(j, "count")) {
    if (auto e = read_count(*c, path + "/count", rule)) return e;
  }
  if (const json* o = member(j, "once")) {
    if (!o->is_boolean()) {
      return json_error{path + "/once", "must be true or false"};
    }
    rule.count = o->get<bool>() ? count_mode::once : count_mode::each;
  }

  const json* points = member(j, "points");
  if (points == nullptr) return json_error{path + "/points", "is required"};
  std::int64_t p = 0;
  if (auto e = read_int(*points, path + "/points", -max_rule_points,
                        max_rule_points, p)) {
    return e;
  }
  rule.points = static_cast<int>(p);
  if (const json* m = member(j, "max")) {
    std::int64_t cap = 0;
    if (auto e = read_int(*m, path + "/max", 1, max_total_points, cap)) {
      return e;
    }
    rule.max = static_cast<int>(cap);
  }
  return std::nullopt;
}

maybe_error read_rules(const json& v, const std::string& path, int version,
                       score_part& part) {
  if (!v.is_array()) return json_error{path, "must be an array"};
  if (v.size() > max_rules) {
    return json_error{path,
                      "more than " + std::to_string(max_rules) + " rules"};
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    score_rule rule;
    if (auto e = read_rule(v[i], path + step(i), version, rule)) return e;
    part.rules.push_back(std::move(rule));
  }
  return std::nullopt;
}

// Grades or stages: [{"grade": "A", "min": 60}, ...], in any order; no two
// share a name or a threshold, since either would make one unreachable.
maybe_error read_levels(const json& v, const std::string& path, const char* key,
                        std::vector<score_level>& out) {
  if (!v.is_array() || v.empty()) {
    return json_error{path, "must be a non-empty array"};
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = path + step(i);
    const json& item = v[i];
    if (!item.is_object()) return json_error{at, "must be an object"};
    if (auto e = unknown_keys(item, at, {key, "min"})) return e;
    score_level level;
    if (auto e = read_text(item, key, at, level.name, true)) return e;
    const json* min = member(item, "min");
    if (min == nullptr) return json_error{at + "/min", "is required"};
    std::int64_t m = 0;
    if (auto e = read_int(*min, at + "/min", 0, max_threshold, m)) return e;
    level.min = static_cast<int>(m);
    for (const auto& other : out) {
      if (other.name == level.name) {
        return json_error{at + step(key), "duplicate " + std::string(key)};
      }
      if (other.min == level.min) {
        return json_error{at + "/min", "overlaps " + std::string(key) + " " +
                                           other.name + " (same min)"};
      }
    }
    out.push_back(std::move(level));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.min > b.min; });
  return std::nullopt;
}

// {"rules", "grades" | "stages", "max", "half_life"}
maybe_error read_part(const json& v, const std::string& path,
                      const char* level_key, const char* level_name,
                      score_part& part) {
  if (!v.is_object()) return json_error{path, "must be an object"};
  if (auto e =
          unknown_keys(v, path, {"rules", level_key, "max", "half_life"})) {
    return e;
  }
  if (const json* rules = member(v, "rules")) {
    if (auto e = read_rules(*rules, path + "/rules", 2, part)) return e;
  }
  if (const json* levels = member(v, level_key)) {
    if (auto e = read_levels(*levels, path + step(level_key), level_name,
                             part.levels)) {
      return e;
    }
  }
  if (const json* m = member(v, "max")) {
    std::int64_t cap = 0;
    if (auto e = read_int(*m, path + "/max", 1, max_total_points, cap)) {
      return e;
    }
    part.max = static_cast<int>(cap);
  }
  if (const json* h = member(v, "half_life")) {
    if (auto e = read_duration(*h, path + "/half_life", part.half_life_ms)) {
      return e;
    }
  }
  // A level the capped total can never reach is a mistake in the model.
  if (part.max > 0 && !part.levels.empty() &&
      part.levels.front().min > part.max) {
    return json_error{path + "/max", "is below the " + std::string(level_name) +
                                         " " + part.levels.front().name +
                                         ", which could never be reached"};
  }
  return std::nullopt;
}

std::optional<int> level_min(const score_part& part, const std::string& name) {
  for (const auto& level : part.levels) {
    if (level.name == name) return level.min;
  }
  return std::nullopt;
}

maybe_error read_statuses(const json& v, scoring_model& model) {
  if (!v.is_array()) return json_error{"/statuses", "must be an array"};
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = "/statuses" + step(i);
    const json& item = v[i];
    if (!item.is_object()) return json_error{at, "must be an object"};
    if (auto e = unknown_keys(item, at, {"status", "grade", "stage"})) return e;
    status_rule s;
    if (auto e = read_text(item, "status", at, s.status, true)) return e;
    if (auto e = read_text(item, "grade", at, s.grade, false)) return e;
    if (auto e = read_text(item, "stage", at, s.stage, false)) return e;
    if (member(item, "grade") == nullptr && member(item, "stage") == nullptr) {
      return json_error{at, "needs a grade, a stage or both"};
    }
    if (member(item, "grade") != nullptr) {
      s.fit_min = level_min(model.fit, s.grade);
      if (!s.fit_min) return json_error{at + "/grade", "no such fit grade"};
    }
    if (member(item, "stage") != nullptr) {
      s.engagement_min = level_min(model.engagement, s.stage);
      if (!s.engagement_min) {
        return json_error{at + "/stage", "no such engagement stage"};
      }
    }
    for (const auto& other : model.statuses) {
      if (other.status == s.status) {
        return json_error{at + "/status", "duplicate status"};
      }
    }
    model.statuses.push_back(std::move(s));
  }
  return std::nullopt;
}

maybe_error read_email_domains(const json& v, scoring_model& model) {
  if (!v.is_object()) return json_error{"/email_domains", "must be an object"};
  if (auto e = unknown_keys(v, "/email_domains", {"free_mail", "disposable"})) {
    return e;
  }
  if (const json* f = member(v, "free_mail")) {
    if (auto e = read_strings(*f, "/email_domains/free_mail",
                              model.free_mail_domains)) {
      return e;
    }
  }
  if (const json* d = member(v, "disposable")) {
    if (auto e = read_strings(*d, "/email_domains/disposable",
                              model.disposable_domains)) {
      return e;
    }
  }
  return std::nullopt;
}

maybe_error unique_rule_ids(const scoring_model& model) {
  std::vector<std::string_view> seen;
  for (const auto* part : {&model.fit, &model.engagement}) {
    const std::string base = part == &model.fit ? "/fit" : "/engagement";
    for (std::size_t i = 0; i < part->rules.size(); ++i) {
      const std::string& id = part->rules[i].id;
      if (std::find(seen.begin(), seen.end(), id) != seen.end()) {
        const std::string where =
            model.version == 1 ? std::string("/rules") : base + "/rules";
        return json_error{where + step(i) + "/id", "duplicate rule id"};
      }
      seen.push_back(id);
    }
  }
  return std::nullopt;
}

// Version 1: {"version": 1, "rules": [...], "grades": [...]} with the
// points on one scale. Its rules become engagement rules and its grades
// engagement stages, so an old model keeps its numbers.
maybe_error read_model_v1(const json& doc, scoring_model& model) {
  if (auto e = unknown_keys(doc, "", {"version", "rules", "grades"})) return e;
  const json* rules = member(doc, "rules");
  if (rules == nullptr) return json_error{"/rules", "is required"};
  if (auto e = read_rules(*rules, "/rules", 1, model.engagement)) return e;
  const json* grades = member(doc, "grades");
  if (grades == nullptr) return json_error{"/grades", "is required"};
  return read_levels(*grades, "/grades", "grade", model.engagement.levels);
}

maybe_error read_model_v2(const json& doc, scoring_model& model) {
  if (auto e = unknown_keys(
          doc, "",
          {"version", "email_domains", "fit", "engagement", "statuses"})) {
    return e;
  }
  if (const json* d = member(doc, "email_domains")) {
    if (auto e = read_email_domains(*d, model)) return e;
  }
  if (const json* fit = member(doc, "fit")) {
    if (auto e = read_part(*fit, "/fit", "grades", "grade", model.fit)) {
      return e;
    }
  }
  if (const json* eng = member(doc, "engagement")) {
    if (auto e = read_part(*eng, "/engagement", "stages", "stage",
                           model.engagement)) {
      return e;
    }
  }
  if (const json* s = member(doc, "statuses")) {
    if (auto e = read_statuses(*s, model)) return e;
  }
  return std::nullopt;
}

}  // namespace

result<scoring_model, model_error> load_scoring_model(std::string_view text) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return fail(json_error{"", "not valid JSON"});
  if (!doc.is_object()) return fail(json_error{"", "must be an object"});

  const json* version = member(doc, "version");
  std::int64_t v = 0;
  if (version == nullptr || read_int(*version, "/version", 1, 2, v)) {
    return fail(json_error{"/version", "must be 2 (or 1 for an old model)"});
  }
  scoring_model model;
  model.version = static_cast<int>(v);
  if (auto e = v == 1 ? read_model_v1(doc, model) : read_model_v2(doc, model)) {
    return fail(std::move(*e));
  }
  if (auto e = unique_rule_ids(model)) return fail(std::move(*e));
  return model;
}

const char* default_scoring_model_json() { return default_model_text; }

namespace {

score_rule default_rule(const char* id, const char* description,
                        rule_kind kind, int points) {
  score_rule rule;
  rule.id = id;
  rule.description = description;
  rule.kind = kind;
  rule.points = points;
  return rule;
}

score_rule email_rule(const char* id, const char* description,
                      email_class email, int points) {
  score_rule rule = default_rule(id, description, rule_kind::email, points);
  rule.email = email;
  return rule;
}

score_rule event_rule(const char* id, const char* description,
                      event_type type, count_mode count, int points) {
  score_rule rule = default_rule(id, description, rule_kind::event, points);
  rule.event = type;
  rule.count = count;
  return rule;
}

// The built-in model as load_scoring_model reads default_model_text, built
// directly: the page builds it before its first page view, where reading
// the text meant compiling and running the whole loader first. Only the
// collector needs the text, to serve it. Both must stay the same model
// (tests/unit/built_in_data_test.cpp).
scoring_model build_default_model() {
  scoring_model model;
  model.version = 2;

  score_rule senior = default_rule("senior_title", "Decision-maker job title",
                                   rule_kind::fields, 20);
  condition title;
  title.field = "job_title";
  title.kind = condition::op::regex;
  title.lead_field = 4;
  static_assert(std::string_view(scoring_lead_fields[4]) == "job_title");
  // Our own pattern, which compiles; the unit tests match it against the
  // text's.
  title.regex = *compile_pattern(
      R"((^|\W)(ceo|cto|cfo|coo|cmo|founder|owner|president|vp|head|)"
      R"(director|chief)(\W|$))",
      true);
  senior.fields.push_back(std::move(title));
  model.fit.rules.push_back(std::move(senior));
  model.fit.rules.push_back(email_rule("work_email", "Company email address",
                                       email_class::corporate, 10));
  model.fit.rules.push_back(email_rule("free_mail", "Free email provider",
                                       email_class::free_mail, -10));
  model.fit.rules.push_back(email_rule("disposable_mail",
                                       "Throwaway email address",
                                       email_class::disposable, -30));
  model.fit.levels = {{"A", 30}, {"B", 20}, {"C", 10}, {"D", 0}};

  score_rule pricing =
      event_rule("visited_pricing", "Viewed the pricing page",
                 event_type::page_view, count_mode::once, 15);
  condition path;
  path.field = "page.path";
  path.kind = condition::op::prefix;
  path.values = {"/pricing"};
  path.source = event_field::page_path;
  pricing.where.push_back(std::move(path));
  model.engagement.rules.push_back(std::move(pricing));
  score_rule cta = event_rule("clicked_cta", "Clicked a call to action",
                              event_type::cta_click, count_mode::each, 5);
  cta.max = 25;
  model.engagement.rules.push_back(std::move(cta));
  model.engagement.rules.push_back(
      event_rule("used_discount", "Used a discount code",
                 event_type::discount_code, count_mode::once, 10));
  model.engagement.rules.push_back(
      event_rule("submitted_form", "Submitted a lead form", event_type::lead,
                 count_mode::once, 30));
  model.engagement.levels = {{"hot", 60}, {"warm", 30}, {"cold", 0}};

  status_rule mql;
  mql.status = "mql";
  mql.grade = "B";
  mql.stage = "warm";
  mql.fit_min = 20;
  mql.engagement_min = 30;
  model.statuses.push_back(std::move(mql));
  return model;
}

}  // namespace

const scoring_model& default_scoring_model() {
  static const scoring_model model = build_default_model();
  return model;
}

}  // namespace loopkit
