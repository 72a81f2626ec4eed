#include "adapters.h"

#include <cmath>

#include "loopkit/json_api.h"
#include "loopkit/visit.h"

namespace loopkit::wasm {

using nlohmann::json;

namespace {

tracker_config config_or_default(const std::string& text, std::string& error) {
  auto config = parse_tracker_config(text);
  if (config) return std::move(*config);
  error = config.error().path + ": " + config.error().message;
  return tracker_config{};
}

std::uint64_t seed_half(const std::string& hex, std::size_t from) {
  std::uint64_t out = 0;
  std::size_t used = 0;
  for (std::size_t i = from; i < hex.size() && used < 16; ++i) {
    const char c = hex[i];
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) continue;
    out = out << 4 | static_cast<std::uint64_t>(v);
    ++used;
  }
  return out;
}

// JS numbers are doubles; a time outside the safe-integer range or NaN is a
// caller bug that must not become undefined behaviour in the cast.
std::int64_t to_ms(double now_ms) {
  if (!std::isfinite(now_ms) || now_ms < 0 || now_ms > 9007199254740991.0) {
    return 0;
  }
  return static_cast<std::int64_t>(now_ms);
}

}  // namespace

js_touch classify_visit(const std::string& page_url,
                        const std::string& referrer_url) {
  const auto v = inspect_visit(page_url, referrer_url, "");
  if (!v) return {};
  return {v->source.source, v->source.medium, v->channel};
}

std::string score_events(const std::string& model_json,
                         const std::string& events_json, double now_ms) {
  return json_api::score_events(model_json, events_json, to_ms(now_ms));
}

js_scorer::js_scorer(const std::string& model_json) {
  auto model = load_scoring_model(model_json);
  if (model) {
    model_ = std::move(*model);
  } else {
    error_ = model.error().path + ": " + model.error().message;
    model_ = default_scoring_model();
  }
}

std::string js_scorer::set_events(const std::string& events_json) {
  const json doc = json::parse(events_json, nullptr, false);
  if (!doc.is_array()) return ": must be a JSON array of events";
  std::vector<event> events;
  events.reserve(doc.size());
  for (std::size_t i = 0; i < doc.size(); ++i) {
    auto e = decode_event(doc[i], "/" + std::to_string(i));
    if (!e) return e.error().path + ": " + e.error().message;
    events.push_back(std::move(*e));
  }
  events_ = std::move(events);
  return {};
}

std::string js_scorer::score(double now_ms) const {
  return dump(to_json(score_events(model_, events_, to_ms(now_ms))));
}

seed parse_seed(const std::string& hex) {
  return {seed_half(hex, 0), hex.size() > 16 ? seed_half(hex, 16) : 0};
}

js_tracker::js_tracker(const std::string& config_json,
                       const std::string& seed_hex)
    : js_tracker(config_json, parse_seed(seed_hex)) {}

js_tracker::js_tracker(const std::string& config_json, seed s)
    : tracker_(config_or_default(config_json, config_error_), s.hi, s.lo) {}

void js_tracker::page_view(const std::string& url, const std::string& referrer,
                           const std::string& title, double now_ms,
                           const std::string& id) {
  tracker_.page_view(url, referrer, title, to_ms(now_ms), id);
}

std::string js_tracker::decorate_link(const std::string& href,
                                      const std::string& page_url,
                                      double now_ms) const {
  return tracker_.decorate_link(href, page_url, to_ms(now_ms));
}

std::string js_tracker::record(const std::string& type,
                               const std::string& name,
                               const std::string& props_json, double now_ms) {
  json props = json::object();
  if (!props_json.empty()) {
    props = json::parse(props_json, nullptr, false);
    if (props.is_discarded()) {
      return dump(json{{"ok", false},
                       {"error", {{"path", "/props"},
                                  {"message", "not valid JSON"}}}});
    }
  }
  const auto e = tracker_.record(type, name, props, to_ms(now_ms));
  if (!e) {
    return dump(json{{"ok", false},
                     {"error", {{"path", e.error().path},
                                {"message", e.error().message}}}});
  }
  return dump(json{{"ok", true}, {"event", to_json(*e)}});
}

std::string js_tracker::score() const { return dump(to_json(tracker_.score())); }

std::string js_tracker::fill_values() const {
  return dump(tracker_.fill_values());
}

std::string js_tracker::touches() const { return dump(tracker_.touches()); }

std::string js_tracker::take_events() {
  json out = json::array();
  for (const auto& e : tracker_.take_outbox()) out.push_back(to_json(e));
  return dump(out);
}

std::string js_tracker::set_model(const std::string& model_json) {
  const auto r = tracker_.set_model(model_json);
  if (r) return {};
  return r.error().path + ": " + r.error().message;
}

}  // namespace loopkit::wasm
