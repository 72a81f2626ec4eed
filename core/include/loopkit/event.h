// The event model: what the page records and the collector stores. Its JSON
// form is documented in docs/events.md; to_json and decode_event are the only
// places that read or write it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loopkit/campaign.h"
#include "loopkit/json_error.h"
#include "loopkit/redact.h"
#include "loopkit/referrer.h"
#include "loopkit/result.h"

namespace loopkit {

enum class event_type : std::uint8_t {
  page_view,
  cta_click,
  discount_code,
  lead,
  track,  // a custom event; its name is in event::name
  // The lead's combined status changed (scoring.h); recorded by the tracker
  // after the event that caused it, never scored itself.
  status_change,
};

const char* to_string(event_type t);
std::optional<event_type> parse_event_type(std::string_view s);

struct page_info {
  std::string url;
  std::string path;
  std::string title;
  std::string referrer;  // this page's document.referrer, as sent
};

// Where the session came from: the touch that started it.
struct touch_info {
  loopkit::campaign campaign;
  referrer_info referrer;
  std::string referrer_url;
  std::string landing_page;
  std::int64_t time = 0;
  // Derived from campaign and referrer when the touch is made (channel.h):
  // "google" / "organic" / "Organic Search". Empty for a touch that came
  // without them (an older client); they are then left out of its JSON.
  std::string source;
  std::string medium;
  std::string channel;
};

struct event {
  std::string id;  // UUID, unique per event; the collector stores it once
  event_type type = event_type::track;
  std::string name;  // for track events
  std::int64_t time = 0;  // milliseconds since the Unix epoch
  std::string visitor_id;
  std::string session_id;
  std::string site;
  page_info page;
  touch_info touch;
  nlohmann::json props = nlohmann::json::object();
};

nlohmann::json to_json(const event& e);
nlohmann::json to_json(const touch_info& t);
nlohmann::json to_json(const campaign& c);
nlohmann::json to_json(const referrer_info& r);

// Compact JSON text that never throws: invalid UTF-8 is replaced.
std::string dump(const nlohmann::json& j);

// path is the JSON pointer of the offending value ("/events/3/type"),
// message says what is wrong ("unknown event type \"foo\"").
using decode_error = json_error;

// Lead form fields that may be captured; anything else a form holds stays in
// the page, and the collector drops any other field it is sent.
inline constexpr const char* lead_field_allow_list[] = {
    "name", "first_name", "last_name", "company", "job_title", "country",
    "company_size"};

// Limits the collector enforces on each event.
inline constexpr std::size_t max_id_length = 64;
inline constexpr std::size_t max_text_length = 2048;

// What an id (of an event, visitor or session) may hold: 1 to
// max_id_length letters, digits and -_.: (a UUID fits).
[[nodiscard]] bool is_event_id(std::string_view s);

// What a lead's email_domain may hold: the part of an address after '@':
// letters, digits, '.', '-' and UTF-8 bytes, at most 253 bytes.
[[nodiscard]] bool is_email_domain(std::string_view s);
inline constexpr std::size_t max_props_bytes = 8 * 1024;

// Checks and reads one event in its JSON form. Unknown fields are an error,
// so a typo never goes unnoticed; props is free-form but bounded, and raw
// email addresses in it are dropped (strip_emails), whoever sent them.
[[nodiscard]] result<event, decode_error> decode_event(const nlohmann::json& j,
                                                       std::string_view path =
                                                           "");

// Reads a touch in its JSON form (the "touch" field of an event).
[[nodiscard]] result<touch_info, decode_error> decode_touch(
    const nlohmann::json& j, std::string_view path = "");

// How long a session lasts without an event, unless a site sets its own
// (tracker_config::session_timeout_ms): 30 minutes, as GA4's default.
inline constexpr std::int64_t default_session_timeout_ms = 30 * 60 * 1000;

inline constexpr std::size_t max_batch_events = 500;
inline constexpr std::size_t max_batch_bytes = 256 * 1024;

// A batch is {"events": [...]} or a bare array. All events must decode: one
// bad event rejects the batch, so a client bug never half-stores it.
[[nodiscard]] result<std::vector<event>, decode_error> decode_batch(
    std::string_view body);

}  // namespace loopkit
