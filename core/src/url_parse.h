// The two halves of parse_url (url.h), apart so a unit test can check that
// they agree: tests/unit/url_test.cpp runs both on generated URLs.
#pragma once

#include <string_view>

#include "loopkit/result.h"
#include "loopkit/url.h"

namespace loopkit::detail {

// The whole basic URL parser: every scheme, every quirk.
[[nodiscard]] result<url, url_error> parse_url_full(std::string_view input);

// The common case in one scan: an http(s) URL with a plain ASCII host name
// (letters, digits, '-', '.', '_', not ending in a number), no port or user
// info, no tab, newline or '\' before the query, no dot segments and
// nothing to trim. Fills out and returns true only then, with exactly what
// parse_url_full gives; false means "ask parse_url_full", never an error,
// and out may then hold parts and should be discarded.
bool parse_plain_http_url(std::string_view input, url& out);

}  // namespace loopkit::detail
