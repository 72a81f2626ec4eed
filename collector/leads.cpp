#include "leads.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace loopkit::collector {
namespace {

struct visitor_lead {
  nlohmann::json entry;
  centipoints points = 0;
  std::int64_t lead_time = 0;
};

nlohmann::json prop(const nlohmann::json& props, std::string_view key,
                    nlohmann::json fallback) {
  const auto it = props.find(key);
  if (it == props.end() || it->type() != fallback.type()) return fallback;
  return *it;
}

// events holds at least one lead; a visitor whose only lead no longer
// decodes is left out before this.
visitor_lead summarize(const scoring_model& model,
                       const std::vector<event>& events, std::int64_t now_ms) {
  const auto latest_lead =
      std::find_if(events.rbegin(), events.rend(),
                   [](const event& e) { return e.type == event_type::lead; });
  const auto& props = latest_lead->props;
  const auto score = score_events(model, events, now_ms);
  const auto page_score = props.find("score");

  visitor_lead lead;
  lead.points = score.points;
  lead.lead_time = latest_lead->time;
  lead.entry = {
      {"visitor_id", latest_lead->visitor_id},
      {"email_sha256", prop(props, "email_sha256", "")},
      {"email_domain", prop(props, "email_domain", "")},
      {"form", prop(props, "form", "")},
      {"fields", prop(props, "fields", nlohmann::json::object())},
      {"lead_time", latest_lead->time},
      {"score", to_json(score)},
      {"page_score", page_score != props.end() && page_score->is_number()
                         ? *page_score
                         : nlohmann::json()},
      {"first_touch", to_json(events.front().touch)},
      {"last_touch", to_json(events.back().touch)},
      {"events", events.size()},
  };
  return lead;
}

}  // namespace

lead_report build_lead_report(const scoring_model& model,
                              const std::vector<stored_event>& rows,
                              std::int64_t now_ms) {
  lead_report report;
  std::vector<visitor_lead> leads;
  std::vector<event> visitor_events;
  auto finish_visitor = [&] {
    const bool has_lead =
        std::any_of(visitor_events.begin(), visitor_events.end(),
                    [](const event& e) { return e.type == event_type::lead; });
    if (has_lead) leads.push_back(summarize(model, visitor_events, now_ms));
    visitor_events.clear();
  };

  for (const auto& row : rows) {
    const auto json = nlohmann::json::parse(row.json, nullptr, false);
    auto decoded = decode_event(json);
    if (!decoded) {
      ++report.undecodable;
      continue;
    }
    if (!visitor_events.empty() &&
        visitor_events.back().visitor_id != decoded->visitor_id) {
      finish_visitor();
    }
    visitor_events.push_back(std::move(*decoded));
  }
  finish_visitor();

  // Ties go to the fresher lead: it is the one to call first.
  std::stable_sort(leads.begin(), leads.end(),
                   [](const visitor_lead& a, const visitor_lead& b) {
                     if (a.points != b.points) return a.points > b.points;
                     return a.lead_time > b.lead_time;
                   });
  for (auto& lead : leads) report.leads.push_back(std::move(lead.entry));
  return report;
}

}  // namespace loopkit::collector
