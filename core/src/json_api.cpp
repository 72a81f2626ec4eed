#include "loopkit/json_api.h"

#include "loopkit/campaign.h"
#include "loopkit/event.h"
#include "loopkit/query.h"
#include "loopkit/referrer.h"
#include "loopkit/scoring.h"
#include "loopkit/url.h"
#include "loopkit/visit.h"

namespace loopkit::json_api {

using nlohmann::json;

namespace {

std::string error_json(const json_error& e) {
  return dump(json{{"ok", false},
                   {"error", {{"path", e.path}, {"message", e.message}}}});
}

}  // namespace

std::string parse_url(std::string_view input) {
  const auto u = loopkit::parse_url(input);
  if (!u) return dump(json{{"ok", false}, {"error", to_string(u.error())}});
  return dump(json{{"ok", true},
                   {"url",
                    {{"scheme", u->scheme},
                     {"host", u->host},
                     {"port", u->port ? json(*u->port) : json(nullptr)},
                     {"path", u->path},
                     {"query", u->query},
                     {"fragment", u->fragment}}}});
}

std::string parse_query(std::string_view query) {
  json out = json::array();
  for (const auto& p : loopkit::parse_query(query)) {
    out.push_back(json::array({p.key, p.value}));
  }
  return dump(out);
}

std::string extract_campaign(std::string_view page_url) {
  const auto u = loopkit::parse_url(page_url);
  return dump(to_json(u ? loopkit::extract_campaign(*u) : campaign{}));
}

std::string classify_referrer(std::string_view referrer_url,
                              std::string_view page_url) {
  const auto page = loopkit::parse_url(page_url);
  const std::string host = page ? page->host : std::string();
  return dump(to_json(loopkit::classify_referrer(referrer_url, host)));
}

std::string inspect_visit(std::string_view page_url,
                          std::string_view referrer_url,
                          std::string_view user_agent,
                          std::string_view channels_json) {
  channel_rules custom;
  if (!channels_json.empty()) {
    auto rules = load_channel_rules(channels_json);
    if (!rules) {
      return error_json({rules.error().path,
                         "channel rules: " + rules.error().message});
    }
    custom = std::move(*rules);
  }
  const auto v = loopkit::inspect_visit(page_url, referrer_url, user_agent,
                                        default_referrer_database(), custom);
  if (!v) {
    return error_json(
        {"", std::string("page URL does not parse: ") + to_string(v.error())});
  }
  return dump(json{{"ok", true}, {"visit", to_json(*v)}});
}

std::string score_events(std::string_view model_json,
                         std::string_view events_json, std::int64_t now_ms) {
  const auto model = load_scoring_model(model_json);
  if (!model) return error_json(model.error());
  const auto events = loopkit::decode_batch(events_json);
  if (!events) return error_json(events.error());
  return dump(json{{"ok", true},
                   {"score", to_json(loopkit::score_events(*model, *events,
                                                           now_ms))}});
}

std::string decode_batch(std::string_view body) {
  const auto events = loopkit::decode_batch(body);
  if (!events) return error_json(events.error());
  json out = json::array();
  for (const auto& e : *events) out.push_back(to_json(e));
  return dump(json{{"ok", true}, {"events", std::move(out)}});
}

}  // namespace loopkit::json_api
