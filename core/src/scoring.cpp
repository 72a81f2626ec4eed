#include "loopkit/scoring.h"

#include <algorithm>
#include <numeric>

#include "loopkit/text.h"

namespace loopkit {

using nlohmann::json;

namespace {

const char* const default_model_text = R"json({
  "version": 1,
  "rules": [
    {"id": "visited_pricing", "description": "Viewed the pricing page",
     "event": "page_view", "where": {"page.path": {"prefix": "/pricing"}},
     "points": 15, "once": true},
    {"id": "clicked_cta", "description": "Clicked a call to action",
     "event": "cta_click", "points": 5},
    {"id": "used_discount", "description": "Used a discount code",
     "event": "discount_code", "points": 10, "once": true},
    {"id": "submitted_form", "description": "Submitted a lead form",
     "event": "lead", "points": 30, "once": true}
  ],
  "grades": [
    {"grade": "A", "min": 70}, {"grade": "B", "min": 45},
    {"grade": "C", "min": 20}, {"grade": "D", "min": 0}
  ]
})json";

// Rejects any key of obj not in allowed, naming it.
std::optional<json_error> unknown_keys(
    const json& obj, const std::string& path,
    std::initializer_list<std::string_view> allowed) {
  for (const auto& item : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) ==
        allowed.end()) {
      return json_error{path + "/" + item.key(), "unknown field"};
    }
  }
  return std::nullopt;
}

std::optional<json_error> read_condition(const std::string& field,
                                         const json& spec,
                                         const std::string& path,
                                         condition& out) {
  out.field = field;
  if (field.empty()) return json_error{path, "field path must not be empty"};
  if (spec.is_string()) {
    out.kind = condition::op::equals;
    out.values = {spec.get<std::string>()};
    return std::nullopt;
  }
  if (!spec.is_object() || spec.size() != 1) {
    return json_error{path, "must be a string or an object with one of "
                            "equals, contains, prefix, one_of"};
  }
  const auto first = spec.begin();
  const std::string op = first.key();
  const json& value = first.value();
  const std::string op_path = path + "/" + op;
  if (op == "one_of") {
    if (!value.is_array() || value.empty()) {
      return json_error{op_path, "must be a non-empty array of strings"};
    }
    out.kind = condition::op::one_of;
    for (const auto& v : value) {
      if (!v.is_string()) return json_error{op_path, "must hold strings"};
      out.values.push_back(v.get<std::string>());
    }
    return std::nullopt;
  }
  if (op == "equals") {
    out.kind = condition::op::equals;
  } else if (op == "contains") {
    out.kind = condition::op::contains;
  } else if (op == "prefix") {
    out.kind = condition::op::prefix;
  } else {
    return json_error{op_path, "unknown operator"};
  }
  if (!value.is_string()) return json_error{op_path, "must be a string"};
  out.values = {value.get<std::string>()};
  return std::nullopt;
}

std::optional<json_error> read_rule(const json& j, const std::string& path,
                                    score_rule& rule) {
  if (!j.is_object()) return json_error{path, "must be an object"};
  if (auto e = unknown_keys(j, path, {"id", "description", "event", "name",
                                      "where", "points", "once"})) {
    return e;
  }

  const auto id = j.find("id");
  if (id == j.end() || !id->is_string() || id->get<std::string>().empty()) {
    return json_error{path + "/id", "must be a non-empty string"};
  }
  rule.id = id->get<std::string>();
  if (const auto d = j.find("description"); d != j.end()) {
    if (!d->is_string()) return json_error{path + "/description", "must be a string"};
    rule.description = d->get<std::string>();
  }
  if (const auto ev = j.find("event"); ev != j.end()) {
    const auto type =
        ev->is_string() ? parse_event_type(ev->get<std::string>()) : std::nullopt;
    if (!type) return json_error{path + "/event", "unknown event type"};
    rule.event = type;
  }
  if (const auto n = j.find("name"); n != j.end()) {
    if (!n->is_string()) return json_error{path + "/name", "must be a string"};
    rule.name = n->get<std::string>();
  }
  if (const auto w = j.find("where"); w != j.end()) {
    if (!w->is_object()) return json_error{path + "/where", "must be an object"};
    for (const auto& [field, spec] : w->items()) {
      condition c;
      if (auto e = read_condition(field, spec, path + "/where/" + field, c)) {
        return e;
      }
      rule.where.push_back(std::move(c));
    }
  }
  const auto points = j.find("points");
  if (points == j.end() || !points->is_number_integer()) {
    return json_error{path + "/points", "must be an integer"};
  }
  const auto p = points->get<std::int64_t>();
  if (p < -10000 || p > 10000) {
    return json_error{path + "/points", "must be between -10000 and 10000"};
  }
  rule.points = static_cast<int>(p);
  if (const auto o = j.find("once"); o != j.end()) {
    if (!o->is_boolean()) return json_error{path + "/once", "must be true or false"};
    rule.once = o->get<bool>();
  }
  return std::nullopt;
}

std::optional<json_error> read_model(const json& doc, scoring_model& model) {
  if (!doc.is_object()) return json_error{"", "must be an object"};
  if (auto e = unknown_keys(doc, "", {"version", "rules", "grades"})) return e;

  const auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_integer() ||
      version->get<std::int64_t>() != 1) {
    return json_error{"/version", "must be 1"};
  }

  const auto rules = doc.find("rules");
  if (rules == doc.end() || !rules->is_array()) {
    return json_error{"/rules", "must be an array"};
  }
  for (std::size_t i = 0; i < rules->size(); ++i) {
    score_rule rule;
    const std::string path = "/rules/" + std::to_string(i);
    if (auto e = read_rule((*rules)[i], path, rule)) return e;
    for (const auto& other : model.rules) {
      if (other.id == rule.id) return json_error{path + "/id", "duplicate rule id"};
    }
    model.rules.push_back(std::move(rule));
  }

  const auto grades = doc.find("grades");
  if (grades == doc.end() || !grades->is_array() || grades->empty()) {
    return json_error{"/grades", "must be a non-empty array"};
  }
  for (std::size_t i = 0; i < grades->size(); ++i) {
    const auto& g = (*grades)[i];
    const std::string path = "/grades/" + std::to_string(i);
    if (!g.is_object()) return json_error{path, "must be an object"};
    if (auto e = unknown_keys(g, path, {"grade", "min"})) return e;
    const auto name = g.find("grade");
    const auto min = g.find("min");
    if (name == g.end() || !name->is_string() ||
        name->get<std::string>().empty()) {
      return json_error{path + "/grade", "must be a non-empty string"};
    }
    if (min == g.end() || !min->is_number_integer()) {
      return json_error{path + "/min", "must be an integer"};
    }
    grade_threshold t{name->get<std::string>(),
                      static_cast<int>(min->get<std::int64_t>())};
    for (const auto& other : model.grades) {
      if (other.min == t.min) {
        return json_error{path + "/min", "same threshold as grade " + other.grade};
      }
    }
    model.grades.push_back(std::move(t));
  }
  std::stable_sort(model.grades.begin(), model.grades.end(),
                   [](const auto& a, const auto& b) { return a.min > b.min; });
  return std::nullopt;
}

// The value at a dotted path in an event's JSON form, as text; nullopt when
// absent or not a scalar.
std::optional<std::string> field_text(const json& event_json,
                                      std::string_view dotted) {
  const json* at = &event_json;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    std::size_t end = dotted.find('.', start);
    if (end == std::string_view::npos) end = dotted.size();
    if (!at->is_object()) return std::nullopt;
    const auto it = at->find(dotted.substr(start, end - start));
    if (it == at->end()) return std::nullopt;
    at = &*it;
    start = end + 1;
  }
  if (at->is_string()) return at->get<std::string>();
  if (at->is_number() || at->is_boolean()) return dump(*at);
  return std::nullopt;
}

// Text comparisons ignore ASCII case: "CEO" and "ceo" are one title.
bool matches(const condition& c, const json& event_json) {
  const auto text = field_text(event_json, c.field);
  if (!text) return false;
  const std::string value = ascii_lower(*text);
  switch (c.kind) {
    case condition::op::equals:
      return value == ascii_lower(c.values.front());
    case condition::op::contains:
      return value.find(ascii_lower(c.values.front())) != std::string::npos;
    case condition::op::prefix:
      return starts_with(value, ascii_lower(c.values.front()));
    case condition::op::one_of:
      for (const auto& v : c.values) {
        if (value == ascii_lower(v)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

result<scoring_model, model_error> load_scoring_model(std::string_view text) {
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) return fail(json_error{"", "not valid JSON"});
  scoring_model model;
  if (auto e = read_model(doc, model)) return fail(std::move(*e));
  return model;
}

const char* default_scoring_model_json() { return default_model_text; }

const scoring_model& default_scoring_model() {
  static const scoring_model model = *load_scoring_model(default_model_text);
  return model;
}

lead_score score_events(const scoring_model& model,
                        const std::vector<event>& events) {
  std::vector<json> forms;
  forms.reserve(events.size());
  for (const auto& e : events) forms.push_back(to_json(e));

  lead_score score;
  for (const auto& rule : model.rules) {
    int count = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const event& e = events[i];
      if (rule.event && e.type != *rule.event) continue;
      if (!rule.name.empty() && e.name != rule.name) continue;
      const bool all = std::all_of(
          rule.where.begin(), rule.where.end(),
          [&](const condition& c) { return matches(c, forms[i]); });
      if (all) ++count;
    }
    if (count == 0) continue;
    const int points = rule.once ? rule.points : rule.points * count;
    score.points += points;
    score.reasons.push_back({rule.id, rule.description, points, count});
  }

  score.points = std::max(score.points, 0);
  for (const auto& g : model.grades) {
    if (score.points >= g.min) {
      score.grade = g.grade;
      break;
    }
  }
  return score;
}

json to_json(const lead_score& s) {
  json reasons = json::array();
  for (const auto& r : s.reasons) {
    reasons.push_back({{"rule", r.rule},
                       {"description", r.description},
                       {"points", r.points},
                       {"count", r.count}});
  }
  return json{{"points", s.points}, {"grade", s.grade}, {"reasons", reasons}};
}

}  // namespace loopkit
