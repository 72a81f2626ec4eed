// Lead scoring: a fit score (who the lead is) and an engagement score (what
// they did), each summed from the rules of a versioned JSON model, with
// caps, a floor at zero and time decay; fit maps to a grade, engagement to a
// stage, both together to a status such as "mql"; and every point comes with
// the rule and the events behind it.
//
// The page (WebAssembly) and the collector (native) run this same engine and
// must agree to the last digit, so everything is integer arithmetic: points
// are kept in hundredths, and decay uses a fixed table instead of libm's
// exp2, whose last bits differ between C libraries. The model format is
// documented in docs/scoring.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loopkit/event.h"
#include "loopkit/json_error.h"
#include "loopkit/pattern.h"
#include "loopkit/result.h"

namespace loopkit {

// Hundredths of a point: 7.5 points after one half-life of 15 is 750.
using centipoints = std::int64_t;
inline constexpr centipoints centi_per_point = 100;

enum class score_kind : std::uint8_t { fit, engagement };
const char* to_string(score_kind k);

// The part of an event a condition reads, resolved when the model loads so
// that scoring never builds an event's JSON form. Names follow that form
// (docs/events.md): page_path is "page.path", props is any "props.<key>".
enum class event_field : std::uint8_t {
  id,
  type,
  name,
  time,
  visitor_id,
  session_id,
  site,
  page_url,
  page_path,
  page_title,
  page_referrer,
  campaign_source,
  campaign_medium,
  campaign_name,
  campaign_term,
  campaign_content,
  campaign_id,
  campaign_click_id,
  campaign_click_id_type,
  campaign_discount_code,
  referrer_medium,
  referrer_source,
  referrer_term,
  referrer_host,
  referrer_url,
  landing_page,
  touch_time,
  touch_source,
  touch_medium,
  touch_channel,
  props,
};

// The lead fields a "fields" rule may test: the lead form's allow-listed
// fields (tracker.h), the domain of the lead's email and the form's name.
inline constexpr const char* scoring_lead_fields[] = {
    "name",    "first_name",   "last_name",    "company", "job_title",
    "country", "company_size", "email_domain", "form"};
inline constexpr std::size_t scoring_lead_field_count =
    sizeof(scoring_lead_fields) / sizeof(scoring_lead_fields[0]);

// One test on a value: an event field in an event rule's "where", or a lead
// field in a "fields" rule. Text tests ignore ASCII case.
struct condition {
  enum class op : std::uint8_t {
    equals,
    contains,
    prefix,
    one_of,
    regex,
    range
  };
  std::string field;  // as written: "page.path", "props.cta", "job_title"
  op kind = op::equals;
  std::vector<std::string> values;  // lower-cased: one, or the one_of list
  pattern regex;                    // op::regex (pattern.h)
  std::optional<std::int64_t> min;  // op::range, inclusive
  std::optional<std::int64_t> max;

  event_field source = event_field::props;  // event rules
  std::vector<std::string> props_path;      // keys below "props"
  std::size_t lead_field = 0;  // fields rules: index in scoring_lead_fields
};

enum class rule_kind : std::uint8_t { event, fields, email, recency };
enum class count_mode : std::uint8_t { each, once, at_least };
enum class email_class : std::uint8_t {
  free_mail,
  disposable,
  corporate,
  listed
};

struct score_rule {
  std::string id;
  std::string description;
  rule_kind kind = rule_kind::event;
  int points = 0;  // whole points, negative to subtract
  int max = 0;     // caps the rule's total either way; 0 for no cap

  // Event and recency rules: which events count. No type means any type
  // but status_change, which is never scored.
  std::optional<event_type> event;
  std::string name;  // track events: the custom event's name
  std::vector<condition> where;
  count_mode count = count_mode::each;
  int at_least = 0;             // count_mode::at_least: this many events
  std::int64_t within_ms = 0;   // within this window
  std::int64_t recency_ms = 0;  // recency: the last one newer than this

  std::vector<condition> fields;               // fields rules, all must pass
  email_class email = email_class::corporate;  // email rules
  std::vector<std::string> domains;  // email_class::listed, lower-cased
};

// A grade (fit) or a stage (engagement) and the points it starts at.
struct score_level {
  std::string name;
  int min = 0;
};

struct score_part {
  std::vector<score_rule> rules;
  std::vector<score_level> levels;  // highest min first
  int max = 0;  // caps the total; 0 for no cap. The floor is always 0.
  std::int64_t half_life_ms = 0;  // 0: event points do not decay
};

// A combined status: passes when fit reaches the grade and engagement the
// stage (either may be left out).
struct status_rule {
  std::string status;
  std::string grade;
  std::string stage;
  std::optional<int> fit_min;  // the grade's and stage's thresholds
  std::optional<int> engagement_min;
};

struct scoring_model {
  int version = 2;  // as written; version 1 is read into this same form
  score_part fit;
  score_part engagement;
  std::vector<status_rule> statuses;  // the first that passes names it
  // Added to the built-in lists (classify_email_domain); lower-cased.
  std::vector<std::string> free_mail_domains;
  std::vector<std::string> disposable_domains;
};

using model_error = json_error;

// Reads and validates a model. Every mistake comes back with the JSON
// pointer of the value at fault, and a model that fails is never used in
// part:
//   load_scoring_model(R"({"version": 2, "engagement": {"half_life": "-3d"}})")
//     .error() -> {"/engagement/half_life", "must not be negative"}
// A version 1 model loads as engagement rules without decay; its grades
// become engagement stages (docs/scoring.md).
[[nodiscard]] result<scoring_model, model_error> load_scoring_model(
    std::string_view json_text);

// The built-in model, used when a site configures none. It does not decay,
// so a lead's score does not drift while nobody looks at it.
const scoring_model& default_scoring_model();
const char* default_scoring_model_json();

// The lower-cased domain of an email address, "example.com" for
// " Jane@Example.COM "; empty when there is no '@' or nothing after it.
std::string email_domain(std::string_view email);

// free_mail, disposable or corporate: the built-in lists of free-mail and
// throwaway-address providers, extended by the model's. A subdomain counts
// as its parent ("eu.mailinator.com" is disposable).
email_class classify_email_domain(std::string_view domain,
                                  const scoring_model& model);

// value after age_ms at the given half-life: value * 2^(-age / half_life),
// rounded half away from zero to whole hundredths. Exact at whole
// half-lives (1500 -> 750 -> 375); between them 2^-x comes from a 64-step
// table with linear steps, within 0.002% of the true curve. A negative age
// (a clock ahead of ours) counts as 0; half_life_ms <= 0 means no decay.
centipoints decay(centipoints value, std::int64_t age_ms,
                  std::int64_t half_life_ms);

inline constexpr std::size_t max_reason_events = 10;

struct score_reason {
  std::string rule;
  std::string description;
  score_kind score = score_kind::engagement;
  centipoints points = 0;        // what the rule adds, after decay and cap
  centipoints before_decay = 0;  // the same without decay
  int count = 0;  // matching events; 1 for fields, email and recency rules
  // Ids of the events behind the points, newest first, at most
  // max_reason_events.
  std::vector<std::string> events;
};

struct lead_score {
  centipoints points = 0;  // fit + engagement
  centipoints fit = 0;
  centipoints engagement = 0;
  std::string grade;   // fit's level; empty below every grade
  std::string stage;   // engagement's level
  std::string status;  // the first status that passes; empty for none
  // Every rule that matched, fit rules first, each part in model order.
  std::vector<score_reason> reasons;
};

// Scores a visitor's events, in any order, as of now_ms. The same model,
// events and clock always give the same score. Fit reads the lead's fields
// from its lead events (the latest value of each field wins); engagement
// counts events, decayed from the time of each. status_change events are
// never scored.
[[nodiscard]] lead_score score_events(const scoring_model& model,
                                      const std::vector<event>& events,
                                      std::int64_t now_ms);

// Points as JSON: a whole number stays an integer (95), a fraction has up
// to two decimals (7.5, 3.75).
nlohmann::json points_json(centipoints p);

// {"points", "fit", "engagement", "grade", "stage", "status", "reasons":
// [{"rule", "description", "score", "points", "before_decay", "count",
// "events"}]}
nlohmann::json to_json(const lead_score& s);

}  // namespace loopkit
