// What a CTA click keeps of what the page saw, the same in the page's
// tracker and in the collector's checks (decode_event).
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "loopkit/json_error.h"
#include "loopkit/result.h"

namespace loopkit {

// {cta, text, kind, href?, x?, y?} from the page's props: kind is cta
// (default), outbound, mailto or tel; a mailto or tel link keeps no href
// and no label spelling out an address or phone number; an href is kept
// only for http(s) links, as scheme, host and path; x and y are rounded
// non-negative pixels. Errors carry paths under "/props".
result<nlohmann::json, json_error> cta_click_props(const nlohmann::json& in);

// The same rules for a stored click, in place and keeping every other
// member (a client's own keys): a kind other than the four is an error; an
// href, text, x and y present are cut down as above.
std::optional<json_error> sanitize_cta_props(nlohmann::json& props);

}  // namespace loopkit
