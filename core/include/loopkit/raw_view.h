// Page views from pages that cannot run the core: a browser without
// WebAssembly, or a Content Security Policy without 'wasm-unsafe-eval'. The
// snippet then sends what the page knows (URL, referrer, title) and the
// collector derives the rest here, with the same code the page would have
// run, so a page view reads the same whichever side classified it. The body
// is documented in docs/events.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loopkit/campaign.h"
#include "loopkit/channel.h"
#include "loopkit/event.h"
#include "loopkit/referrer.h"
#include "loopkit/result.h"

namespace loopkit {

// What classifying a raw page view reads: the same settings a tracker_config
// holds. Built once and shared by every request.
struct raw_view_settings {
  referrer_database referrers = default_referrer_database();
  channel_rules channels;
  referrer_options referrer;
  campaign_options campaign;
};

// The session id of a raw view sent without one: the visitor's UTC day,
// "<first 32 hex digits of SHA-256 of visitor_id ':' days since the epoch>",
// so every raw view of a visitor on one day shares a session, whichever
// collector thread or restart sees it.
[[nodiscard]] std::string raw_session_id(std::string_view visitor_id,
                                         std::int64_t time_ms);

// Turns one raw view
//   {"id", "visitor_id", "session_id", "site", "url", "referrer", "title",
//    "time", "link_param"}
// into a page_view event, as tracker::page_view records it: the link
// parameter (link_param, "_lk" when missing) removed from the URL, its
// visitor id adopted when the link is fresh, the URL and
// referrer redacted of email addresses, the campaign read from the URL, the
// referrer classified against the page's host, and the touch's source,
// medium and channel derived. id, visitor_id, url and time are required;
// an unknown field is an error, as in events. The error's path starts at
// `path` ("/raw_page_views/3/url"). The touch is the view's own, as if it
// began a session; continue_session then joins it to the session's.
[[nodiscard]] result<event, decode_error> page_view_from_raw(
    const nlohmann::json& raw, const raw_view_settings& settings,
    std::string_view path = "");

// Gives a view the touch of the session it belongs to (the touch of the
// session's events so far), as the page does: unless the view brings
// another campaign or comes from another site, it keeps the session's
// touch. Returns true when it did.
bool continue_session(event& view, const touch_info& session_touch);

// A raw view sent without a session id (the page's core never ran: its
// .wasm was blocked, or the visitor left before it arrived) joins the
// visitor's running session, as the page would have kept it: when the
// session's latest event before the view, at last_time with this touch, is
// at most timeout_ms older and the view brings no other campaign or site
// (continue_session). Returns true when it did; the view then carries
// session_id and the session's touch.
bool join_running_session(event& view, const std::string& session_id,
                          std::int64_t last_time, const touch_info& touch,
                          std::int64_t timeout_ms = default_session_timeout_ms);

// A /collect body that may carry raw views beside events:
//   {"events": [...], "raw_page_views": [...]}
// either key optional (not both missing), each at most max_batch_events
// items; or an events batch as decode_batch reads it.
struct collect_body {
  std::vector<event> events;
  nlohmann::json raw_page_views = nlohmann::json::array();  // not yet read
};

// Reads the body. Events are checked whole, as decode_batch does: one bad
// event fails the body. Raw views are only checked to be an array of at most
// max_batch_events; each is read by page_view_from_raw, so one bad view never
// costs the others.
[[nodiscard]] result<collect_body, decode_error> decode_collect_body(
    std::string_view body);

}  // namespace loopkit
