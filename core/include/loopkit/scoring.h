// Lead scoring from rules: points for event types and property matches, a
// grade by thresholds, and the reasons behind the total.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loopkit/event.h"
#include "loopkit/json_error.h"
#include "loopkit/result.h"

namespace loopkit {

struct condition {
  enum class op : std::uint8_t { equals, contains, prefix, one_of };
  std::string field;  // a dotted path in the event's JSON form, "page.path"
  op kind = op::equals;
  std::vector<std::string> values;  // one value, or the list for one_of
};

struct score_rule {
  std::string id;
  std::string description;
  std::optional<event_type> event;  // any event type when absent
  std::string name;  // for track events: the event name to match
  std::vector<condition> where;
  int points = 0;
  bool once = false;  // points for the first match only
};

struct grade_threshold {
  std::string grade;
  int min = 0;
};

struct scoring_model {
  int version = 1;
  std::vector<score_rule> rules;
  std::vector<grade_threshold> grades;  // highest threshold first
};

using model_error = json_error;

// Reads and validates a model; on any error nothing of it is used.
[[nodiscard]] result<scoring_model, model_error> load_scoring_model(
    std::string_view json_text);

const scoring_model& default_scoring_model();
const char* default_scoring_model_json();

struct score_reason {
  std::string rule;
  std::string description;
  int points = 0;  // total from this rule
  int count = 0;   // matching events counted
};

struct lead_score {
  int points = 0;
  std::string grade;
  std::vector<score_reason> reasons;  // in rule order, contributing only
};

// Scores a visitor's events, in any order.
lead_score score_events(const scoring_model& model,
                        const std::vector<event>& events);

nlohmann::json to_json(const lead_score& s);

}  // namespace loopkit
