#include "loopkit/channel.h"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "loopkit/text.h"
#include "visit_parts.h"

namespace loopkit {

const char* to_string(source_origin o) {
  switch (o) {
    case source_origin::utm: return "utm";
    case source_origin::click_id: return "click_id";
    case source_origin::referrer: return "referrer";
    case source_origin::direct: return "direct";
  }
  return "direct";
}

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// Case-insensitive tests against lower-case needles; none allocates.
bool ieq(std::string_view s, std::string_view lower_needle) {
  return iequals(s, lower_needle);
}

bool istarts(std::string_view s, std::string_view lower_needle) {
  return s.size() >= lower_needle.size() &&
         iequals(s.substr(0, lower_needle.size()), lower_needle);
}

bool iends(std::string_view s, std::string_view lower_needle) {
  return s.size() >= lower_needle.size() &&
         iequals(s.substr(s.size() - lower_needle.size()), lower_needle);
}

std::size_t ifind(std::string_view s, std::string_view lower_needle,
                  std::size_t from = 0) {
  if (lower_needle.empty()) return from <= s.size() ? from : s.npos;
  for (std::size_t i = from; i + lower_needle.size() <= s.size(); ++i) {
    if (lower(s[i]) != lower_needle[0]) continue;
    if (iequals(s.substr(i, lower_needle.size()), lower_needle)) return i;
  }
  return s.npos;
}

bool icontains(std::string_view s, std::string_view lower_needle) {
  return ifind(s, lower_needle) != s.npos;
}

// The report name of an engine or provider from the referrer database:
// lower-case, without "!" ("Yahoo!" is "yahoo"), as GA4 records sources.
void report_name(std::string_view name, std::string& out) {
  out.assign(name.data(), name.size());
  out.erase(std::remove(out.begin(), out.end(), '!'), out.end());
  for (auto& c : out) c = lower(c);
  // Vertical search shows under its engine's name in GA4.
  if (out == "google images") out = "google";
  if (out == "yahoo japan") out = "yahoo";
}

void assign(std::string& out, std::string_view text) { set_text(out, text); }

std::string_view strip_www(std::string_view host) {
  return host.substr(0, 4) == "www." ? host.substr(4) : host;
}

}  // namespace

namespace detail {

void derive_source(const campaign& c, const referrer_info& r,
                   visit_source& out) {
  const auto set = [&out](std::string_view source, std::string_view medium,
                          source_origin origin) {
    assign(out.source, source);
    assign(out.medium, medium);
    out.origin = origin;
  };
  if (!c.source.empty() || !c.medium.empty() || !c.name.empty()) {
    set(c.source.empty() ? "(not set)" : c.source,
        c.medium.empty() ? "(not set)" : c.medium, source_origin::utm);
    return;
  }

  const std::string_view click_id = c.click_id_type;
  if (click_id == "gclid") {
    return set("google", "cpc", source_origin::click_id);
  }
  if (click_id == "msclkid") {
    return set("bing", "cpc", source_origin::click_id);
  }
  if (click_id == "fbclid") {
    return set("facebook", "social", source_origin::click_id);
  }

  switch (r.medium) {
    case referrer_medium::direct:
    case referrer_medium::internal:
      return set("(direct)", "(none)", source_origin::direct);
    case referrer_medium::search:
      // A search engine's domain also holds other products: a host our
      // table files as social ("plus.google.com") is a referral from it.
      if (const auto category = categorize_source(strip_www(r.host));
          category == source_category::none ||
          category == source_category::search) {
        report_name(r.source, out.source);
        assign(out.medium, "organic");
        out.origin = source_origin::referrer;
        return;
      }
      break;
    case referrer_medium::email:
      if (!r.source.empty()) {
        report_name(r.source, out.source);
        assign(out.medium, "email");
        out.origin = source_origin::referrer;
        return;
      }
      break;
    default: break;
  }
  const std::string_view site = r.host.empty() ? r.source : strip_www(r.host);
  set(site, "referral", source_origin::referrer);
}

}  // namespace detail

visit_source derive_source(const campaign& c, const referrer_info& r) {
  visit_source s;
  detail::derive_source(c, r, s);
  return s;
}

channel_input make_channel_input(const campaign& c, const referrer_info& r,
                                 const visit_source& s) {
  channel_input in;
  in.source = s.source;
  in.medium = s.medium;
  in.campaign = c.name;
  in.click_id_type = c.click_id_type;
  in.referrer = r.medium;
  in.source_from_referrer = s.origin == source_origin::referrer;
  return in;
}

source_category category_of(const channel_input& in) {
  if (in.category) return *in.category;
  const source_category c = categorize_source(in.source);
  if (c != source_category::none || !in.source_from_referrer) return c;
  if (in.referrer == referrer_medium::search) return source_category::search;
  if (in.referrer == referrer_medium::social) return source_category::social;
  return c;
}

namespace {

// The regular expressions of Google's rules, written out by hand so the
// default never runs a regex engine. They run on source and medium
// lower-cased once (lower_text), so each test compares exact bytes.

// Exact tests, inline: the text.h ones and string_view's compare are
// calls. A memcmp of a fixed size compiles to a load or two.
template <std::size_t n>
bool is(std::string_view s, const char (&text)[n]) {
  return s.size() == n - 1 && std::memcmp(s.data(), text, n - 1) == 0;
}

template <std::size_t n>
bool begins(std::string_view s, const char (&text)[n]) {
  return s.size() >= n - 1 && std::memcmp(s.data(), text, n - 1) == 0;
}

template <std::size_t n>
bool ends(std::string_view s, const char (&text)[n]) {
  return s.size() >= n - 1 &&
         std::memcmp(s.data() + s.size() - (n - 1), text, n - 1) == 0;
}

template <std::size_t n>
bool contains(std::string_view s, const char (&text)[n]) {
  for (std::size_t i = 0; i + (n - 1) <= s.size(); ++i) {
    if (s[i] == text[0] && std::memcmp(s.data() + i, text, n - 1) == 0) {
      return true;
    }
  }
  return false;
}

// ^(.*cp.*|ppc|retargeting|paid.*)$
bool paid_medium(std::string_view m) {
  return contains(m, "cp") || is(m, "ppc") || is(m, "retargeting") ||
         begins(m, "paid");
}

// What Google's rules look for in a campaign name, found in one pass: it
// runs for every page view, and campaign names are long.
struct campaign_words {
  bool cross_network = false;  // "cross-network" anywhere
  // ^(.*(([^a-df-z]|^)shop|shopping).*)$: "shop" at the start or after
  // anything but the letters a-d and f-z ("eshop" counts, "workshop" does
  // not), or "shopping" anywhere.
  bool shopping = false;
};

// The campaign is not lower-cased first: (x | 0x20) is 'c' for 'c' and
// 'C' only, so a cheap test finds where a word may start.
campaign_words scan_campaign(std::string_view c) {
  campaign_words w;
  for (std::size_t i = 0; i < c.size(); ++i) {
    const char x = static_cast<char>(c[i] | 0x20);
    if (x == 'c') {
      if (istarts(c.substr(i), "cross-network")) {
        w.cross_network = true;
        return w;  // the first rule after Direct: nothing else counts
      }
    } else if (x == 's' && !w.shopping && istarts(c.substr(i), "shop")) {
      const char before = i == 0 ? '\0' : lower(c[i - 1]);
      w.shopping = istarts(c.substr(i), "shopping") ||
                   !(before >= 'a' && before <= 'z') || before == 'e';
    }
  }
  return w;
}

bool email_word(std::string_view s) {
  return is(s, "email") || is(s, "e-mail") || is(s, "e_mail") ||
         is(s, "e mail");
}

// Google's rules, in Google's order, from "[GA4] Default channel group",
// "Channels for manual traffic"
// (https://support.google.com/analytics/answer/9756891). "Source matches a
// list of ... sites" is category_of (source_category.h). source and medium
// are those of in, lower-cased.
std::string_view google_channel(const channel_input& in,
                                std::string_view source,
                                std::string_view medium) {
  if (is(source, "(direct)") &&
      (is(medium, "(not set)") || is(medium, "(none)"))) {
    return "Direct";
  }
  const campaign_words words = scan_campaign(in.campaign);
  if (words.cross_network) return "Cross-network";

  const source_category category = category_of(in);
  const bool paid = paid_medium(medium);
  const bool shopping =
      category == source_category::shopping || words.shopping;
  if (paid) {
    if (shopping) return "Paid Shopping";
    if (category == source_category::search) return "Paid Search";
    if (category == source_category::social) return "Paid Social";
    if (category == source_category::video) return "Paid Video";
  }
  if (is(medium, "display") || is(medium, "banner") ||
      is(medium, "expandable") || is(medium, "interstitial") ||
      is(medium, "cpm")) {
    return "Display";
  }
  if (paid) return "Paid Other";

  if (shopping) return "Organic Shopping";
  if (category == source_category::social || is(medium, "social") ||
      is(medium, "social-network") || is(medium, "social-media") ||
      is(medium, "sm") || is(medium, "social network") ||
      is(medium, "social media")) {
    return "Organic Social";
  }
  if (category == source_category::video || contains(medium, "video")) {
    return "Organic Video";
  }
  if (category == source_category::search || is(medium, "organic")) {
    return "Organic Search";
  }
  if (is(medium, "referral") || is(medium, "app") || is(medium, "link")) {
    return "Referral";
  }
  if (email_word(source) || email_word(medium)) return "Email";
  if (is(medium, "affiliate")) return "Affiliates";
  if (is(medium, "audio")) return "Audio";
  if (is(source, "sms") || is(medium, "sms")) return "SMS";
  if (ends(medium, "push") || contains(medium, "mobile") ||
      contains(medium, "notification") || is(source, "firebase")) {
    return "Mobile Push Notifications";
  }
  return "Unassigned";
}

void lower_into(std::string_view s, char* out) {
  for (std::size_t i = 0; i < s.size(); ++i) out[i] = lower(s[i]);
}

}  // namespace

// Source and medium are lower-cased once, on the stack unless they are
// longer than any seen in practice, so the rules compare exact bytes.
std::string_view default_channel(const channel_input& in) {
  constexpr std::size_t short_text = 64;
  if (in.source.size() <= short_text && in.medium.size() <= short_text) {
    char source[short_text];
    char medium[short_text];
    lower_into(in.source, source);
    lower_into(in.medium, medium);
    return google_channel(in, {source, in.source.size()},
                          {medium, in.medium.size()});
  }
  return google_channel(in, ascii_lower(in.source), ascii_lower(in.medium));
}

namespace {

// Rule evaluation keeps the category once computed: a rule list may ask for
// it many times.
class rule_context {
 public:
  explicit rule_context(const channel_input& in) : in_(in) {}

  std::string_view value(channel_field f) {
    switch (f) {
      case channel_field::source: return in_.source;
      case channel_field::medium: return in_.medium;
      case channel_field::campaign: return in_.campaign;
      case channel_field::click_id: return in_.click_id_type;
      case channel_field::referrer: return to_string(in_.referrer);
      case channel_field::source_category: return to_string(category());
    }
    return {};
  }

  bool present(channel_field f) {
    if (f == channel_field::referrer) {
      return in_.referrer != referrer_medium::direct;
    }
    if (f == channel_field::source_category) {
      return category() != source_category::none;
    }
    return !value(f).empty();
  }

 private:
  source_category category() {
    if (!category_) category_ = category_of(in_);
    return *category_;
  }

  const channel_input& in_;
  std::optional<source_category> category_;
};

bool holds(const channel_condition& c, rule_context& ctx) {
  bool match = false;
  if (c.op == match_op::exists) {
    match = ctx.present(c.field);
  } else {
    const std::string_view v = ctx.value(c.field);
    switch (c.op) {
      case match_op::equals: match = ieq(v, c.values.front()); break;
      case match_op::one_of:
        for (const auto& option : c.values) match = match || ieq(v, option);
        break;
      case match_op::contains: match = icontains(v, c.values.front()); break;
      case match_op::prefix: match = istarts(v, c.values.front()); break;
      case match_op::suffix: match = iends(v, c.values.front()); break;
      case match_op::regex: match = c.regex && c.regex->search(v); break;
      case match_op::exists: break;
    }
  }
  return match == c.expected;
}

bool matches(const channel_rule& rule, rule_context& ctx) {
  for (const auto& c : rule.all) {
    if (!holds(c, ctx)) return false;
  }
  if (rule.any.empty()) return true;
  for (const auto& c : rule.any) {
    if (holds(c, ctx)) return true;
  }
  return false;
}

}  // namespace

const channel_rules& default_channel_rules() {
  static const channel_rules rules;
  return rules;
}

std::string_view find_channel(const channel_input& in,
                              const channel_rules& rules) {
  if (rules.before.empty() && rules.after.empty() && rules.use_default) {
    return default_channel(in);  // the common case, without a context
  }

  rule_context ctx(in);
  for (const auto& rule : rules.before) {
    if (matches(rule, ctx)) return rule.channel;
  }
  if (rules.use_default) {
    const std::string_view channel = default_channel(in);
    if (channel != "Unassigned") return channel;
  }
  for (const auto& rule : rules.after) {
    if (matches(rule, ctx)) return rule.channel;
  }
  return "Unassigned";
}

std::string classify_channel(const channel_input& in,
                             const channel_rules& rules) {
  return std::string(find_channel(in, rules));
}

// ---- loading custom rules -------------------------------------------------

namespace {

using nlohmann::json;

constexpr std::size_t max_condition_value = 256;
constexpr std::size_t max_one_of = 100;

std::optional<channel_field> parse_field(std::string_view s) {
  if (s == "source") return channel_field::source;
  if (s == "medium") return channel_field::medium;
  if (s == "campaign") return channel_field::campaign;
  if (s == "click_id") return channel_field::click_id;
  if (s == "referrer") return channel_field::referrer;
  if (s == "source_category") return channel_field::source_category;
  return std::nullopt;
}

std::optional<match_op> parse_op(std::string_view s) {
  if (s == "equals") return match_op::equals;
  if (s == "one_of") return match_op::one_of;
  if (s == "contains") return match_op::contains;
  if (s == "prefix") return match_op::prefix;
  if (s == "suffix") return match_op::suffix;
  if (s == "regex") return match_op::regex;
  if (s == "exists") return match_op::exists;
  return std::nullopt;
}

// A closed field takes only its known values: a typo such as "serach"
// would otherwise make a rule that never matches.
std::optional<std::string> check_closed_value(channel_field f,
                                              const std::string& v) {
  if (f == channel_field::referrer && !parse_referrer_medium(v)) {
    return "unknown referrer class \"" + v + "\"";
  }
  if (f == channel_field::source_category && !parse_source_category(v)) {
    return "unknown source category \"" + v + "\"";
  }
  return std::nullopt;
}

result<std::string, json_error> read_text(const json& j,
                                          const std::string& path) {
  if (!j.is_string()) return fail(json_error{path, "must be a string"});
  const auto& s = j.get_ref<const std::string&>();
  if (s.empty()) return fail(json_error{path, "must not be empty"});
  if (s.size() > max_condition_value) {
    return fail(json_error{
        path, "longer than " + std::to_string(max_condition_value) + " bytes"});
  }
  return s;
}

result<channel_condition, json_error> read_condition(const json& j,
                                                     const std::string& path) {
  if (!j.is_object()) return fail(json_error{path, "must be an object"});
  channel_condition c;
  std::optional<std::string> op_name;
  bool has_field = false;
  for (const auto& item : j.items()) {
    const std::string& key = item.key();
    if (key == "field") {
      has_field = true;
      const auto f = item.value().is_string()
                         ? parse_field(item.value().get<std::string>())
                         : std::nullopt;
      if (!f) {
        return fail(json_error{path + "/field",
                               "must be source, medium, campaign, click_id, "
                               "referrer or source_category"});
      }
      c.field = *f;
    } else if (key == "not") {
      if (!item.value().is_boolean()) {
        return fail(json_error{path + "/not", "must be true or false"});
      }
    } else if (parse_op(key)) {
      if (op_name) {
        return fail(json_error{path + "/" + key,
                               "a condition takes one operator; it already "
                               "has " +
                                   *op_name});
      }
      op_name = key;
    } else {
      return fail(json_error{path + "/" + key, "unknown field"});
    }
  }
  if (!has_field) return fail(json_error{path + "/field", "is required"});
  if (!op_name) {
    return fail(json_error{path,
                           "needs an operator: equals, one_of, "
                           "contains, prefix, suffix, regex or exists"});
  }

  c.op = *parse_op(*op_name);
  const std::string op_path = path + "/" + *op_name;
  const json& v = j.at(*op_name);
  if (c.op == match_op::exists) {
    if (!v.is_boolean())
      return fail(json_error{op_path, "must be true or false"});
    c.expected = v.get<bool>();
  } else if (c.op == match_op::one_of) {
    if (!v.is_array() || v.empty() || v.size() > max_one_of) {
      return fail(json_error{op_path, "must be an array of 1 to " +
                                          std::to_string(max_one_of) +
                                          " strings"});
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto text = read_text(v[i], op_path + "/" + std::to_string(i));
      if (!text) return fail(text.error());
      c.values.push_back(ascii_lower(*text));
    }
  } else {
    auto text = read_text(v, op_path);
    if (!text) return fail(text.error());
    if (c.op == match_op::regex) {
      auto compiled = compile_pattern(*text, true);
      if (!compiled) {
        return fail(json_error{op_path, std::string("invalid regex: ") +
                                            to_string(compiled.error())});
      }
      c.regex = std::move(*compiled);
    }
    c.values.push_back(ascii_lower(*text));
  }

  if (c.op == match_op::equals || c.op == match_op::one_of) {
    for (std::size_t i = 0; i < c.values.size(); ++i) {
      if (auto problem = check_closed_value(c.field, c.values[i])) {
        const std::string where = c.op == match_op::one_of
                                      ? op_path + "/" + std::to_string(i)
                                      : op_path;
        return fail(json_error{where, *problem});
      }
    }
  }
  if (const auto n = j.find("not"); n != j.end() && n->get<bool>()) {
    c.expected = !c.expected;
  }
  return c;
}

result<std::vector<channel_condition>, json_error> read_conditions(
    const json& j, const std::string& path) {
  if (!j.is_array()) return fail(json_error{path, "must be an array"});
  std::vector<channel_condition> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto c = read_condition(j[i], path + "/" + std::to_string(i));
    if (!c) return fail(c.error());
    out.push_back(std::move(*c));
  }
  return out;
}

result<channel_rule, json_error> read_rule(const json& j,
                                           const std::string& path) {
  if (!j.is_object()) return fail(json_error{path, "must be an object"});
  channel_rule rule;
  bool has_channel = false;
  for (const auto& item : j.items()) {
    const std::string& key = item.key();
    const std::string item_path = path + "/" + key;
    if (key == "channel") {
      has_channel = true;
      const json& v = item.value();
      if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
          v.get_ref<const std::string&>().size() > max_channel_name) {
        return fail(json_error{item_path, "must be a name of 1 to " +
                                              std::to_string(max_channel_name) +
                                              " bytes"});
      }
      rule.channel = v.get<std::string>();
    } else if (key == "all" || key == "any") {
      auto conditions = read_conditions(item.value(), item_path);
      if (!conditions) return fail(conditions.error());
      (key == "all" ? rule.all : rule.any) = std::move(*conditions);
    } else {
      return fail(json_error{item_path, "unknown field"});
    }
  }
  if (!has_channel) return fail(json_error{path + "/channel", "is required"});
  return rule;
}

result<std::vector<channel_rule>, json_error> read_rules(
    const json& j, const std::string& path) {
  if (!j.is_array()) return fail(json_error{path, "must be an array of rules"});
  if (j.size() > max_channel_rules) {
    return fail(json_error{
        path, "more than " + std::to_string(max_channel_rules) + " rules"});
  }
  std::vector<channel_rule> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto rule = read_rule(j[i], path + "/" + std::to_string(i));
    if (!rule) return fail(rule.error());
    out.push_back(std::move(*rule));
  }
  return out;
}

}  // namespace

result<channel_rules, json_error> load_channel_rules(
    std::string_view json_text) {
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return fail(json_error{"", "not valid JSON"});
  if (!doc.is_object()) return fail(json_error{"", "must be an object"});

  // Built aside and returned whole: a caller never sees half the rules.
  channel_rules rules;
  for (const auto& item : doc.items()) {
    const std::string& key = item.key();
    if (key != "prepend" && key != "append" && key != "replace") {
      return fail(json_error{"/" + key,
                             "unknown field: use prepend, append "
                             "or replace"});
    }
    auto list = read_rules(item.value(), "/" + key);
    if (!list) return fail(list.error());
    if (key == "prepend") rules.before = std::move(*list);
    if (key == "append") rules.after = std::move(*list);
    if (key == "replace") {
      rules.before = std::move(*list);
      rules.use_default = false;
    }
  }
  if (!rules.use_default &&
      (doc.contains("prepend") || doc.contains("append"))) {
    return fail(
        json_error{"/replace", "cannot be combined with prepend or append"});
  }
  return rules;
}

}  // namespace loopkit
