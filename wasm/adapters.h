// Converts between the JS-facing shapes (strings of JSON, hex seeds) and the
// core's types. Errors cross to JS as data: {"ok":false,"error":{...}}.
#pragma once

#include <cstdint>
#include <string>

#include "loopkit/tracker.h"

namespace loopkit::wasm {

struct seed {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
};

// Up to 32 hex digits -> two 64-bit halves; other characters are skipped.
seed parse_seed(const std::string& hex);

// A visit's source, medium and channel (channel.h), as a plain JS object.
struct js_touch {
  std::string source;
  std::string medium;
  std::string channel;
};

// The landing URL and referrer -> js_touch, with GA4's default channel
// group. A page URL that does not parse gives all three empty.
js_touch classify_visit(const std::string& page_url,
                        const std::string& referrer_url);

// json_api::score_events with the clock as a JS number (milliseconds).
std::string score_events(const std::string& model_json,
                         const std::string& events_json, double now_ms);

// A model and one visitor's events, decoded once and then scored as often
// as needed: what a page pays for a rescore, apart from decoding
// (bench/scoring_wasm_bench.mjs). JS: new Scorer(model), .setEvents(json),
// .score(now), .delete().
class js_scorer {
 public:
  // A model that does not validate leaves the built-in one in place; the
  // reason is kept for error().
  explicit js_scorer(const std::string& model_json);

  std::string error() const { return error_; }
  // A JSON array of events in their JSON form, without the collector's
  // batch limits. Returns "" or "path: message"; on error the events stay.
  std::string set_events(const std::string& events_json);
  // The score JSON (scoring.h to_json) as of now_ms.
  std::string score(double now_ms) const;

 private:
  std::string error_;
  scoring_model model_;
  std::vector<event> events_;
};

class js_tracker {
 public:
  // A config that does not validate falls back to the defaults; the reason
  // is kept for config_error(). seed_hex holds up to 32 hex digits.
  js_tracker(const std::string& config_json, const std::string& seed_hex);

  std::string config_error() const { return config_error_; }
  bool restore(const std::string& state) { return tracker_.restore(state); }
  std::string state() const { return tracker_.state_json(); }
  std::string visitor_id() const { return tracker_.visitor_id(); }
  std::string session_id() const { return tracker_.session_id(); }
  bool adopt_visitor(const std::string& id) {
    return tracker_.adopt_visitor(id);
  }
  void page_view(const std::string& url, const std::string& referrer,
                 const std::string& title, double now_ms,
                 const std::string& id);
  std::string clean_url(const std::string& url) const {
    return tracker_.clean_url(url);
  }
  std::string decorate_link(const std::string& href,
                            const std::string& page_url, double now_ms) const;
  std::string record(const std::string& type, const std::string& name,
                     const std::string& props_json, double now_ms);
  void identify(const std::string& email) { tracker_.identify(email); }
  std::string score() const;
  std::string fill_values() const;
  std::string touches() const;
  std::string take_events();
  std::string set_model(const std::string& model_json);

 private:
  js_tracker(const std::string& config_json, seed s);

  std::string config_error_;
  tracker tracker_;
};

}  // namespace loopkit::wasm
