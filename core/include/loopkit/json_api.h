// The core's functions with JSON text in and out. The WebAssembly bindings
// and the native command line both call these, so the page, the collector
// and the parity tests exchange exactly the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loopkit::json_api {

// {"ok":true,"url":{"scheme","host","port","path","query","fragment"}} or
// {"ok":false,"error":"no_scheme"}
std::string parse_url(std::string_view input);

// [["key","value"], ...]
std::string parse_query(std::string_view query);

// The campaign of a page URL (an unparsable URL gives an empty campaign).
std::string extract_campaign(std::string_view page_url);

// {"medium","source","term","host"} for a referrer seen on page_url.
std::string classify_referrer(std::string_view referrer_url,
                              std::string_view page_url);

// {"ok":true,"visit":{...}} with what the core derives from a page view
// (visit.h: campaign, referrer, source, medium, channel, bot), or
// {"ok":false,"error":{"path","message"}} when the page URL does not parse
// or channels_json (custom channel rules; empty for GA4's default) does not
// validate.
std::string inspect_visit(std::string_view page_url,
                          std::string_view referrer_url,
                          std::string_view user_agent,
                          std::string_view channels_json);

// {"ok":true,"score":{...}} or {"ok":false,"error":{"path","message"}};
// events_json is an array of events in their JSON form, scored as of now_ms
// (scoring.h).
std::string score_events(std::string_view model_json,
                         std::string_view events_json, std::int64_t now_ms);

// {"ok":true,"events":[...]} with each event re-encoded, or
// {"ok":false,"error":{"path","message"}}
std::string decode_batch(std::string_view body);

}  // namespace loopkit::json_api
