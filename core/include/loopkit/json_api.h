// The core's functions with JSON text in and out. The WebAssembly bindings
// and the native command line both call these, so the page, the collector
// and the parity tests exchange exactly the same bytes.
#pragma once

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

// {"ok":true,"score":{...}} or {"ok":false,"error":{"path","message"}};
// events_json is an array of events in their JSON form.
std::string score_events(std::string_view model_json,
                         std::string_view events_json);

// {"ok":true,"events":[...]} with each event re-encoded, or
// {"ok":false,"error":{"path","message"}}
std::string decode_batch(std::string_view body);

}  // namespace loopkit::json_api
