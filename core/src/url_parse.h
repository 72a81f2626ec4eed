// The halves of parse_url (url.h), apart so a unit test can check that they
// agree (tests/unit/url_test.cpp runs them on generated URLs), and the
// view-based form the classifiers use.
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

// A parsed URL as views, for code that reads a URL and keeps none of it:
// classifying a page view must not copy a 300-byte landing URL three times.
// The parts are those of the url that parse_url gives.
struct url_parts {
  std::string_view scheme;
  std::string_view host;
  std::string_view path;
  std::string_view query;
  std::string_view fragment;
  bool has_query = false;
  bool has_fragment = false;
};

// True, with out viewing input, when input is an http(s) URL already in
// the form parse_url gives: what browsers send as a page URL or referrer.
// The conditions of parse_plain_http_url hold, and besides the host has no
// upper-case letter and nothing needs percent-encoding. False means "ask
// parse_url", never an error.
bool parse_serialized_http_url(std::string_view input, url_parts& out);

// parse_url as views: into input when parse_serialized_http_url accepts
// it, else into storage, which must outlive the parts and not be moved.
[[nodiscard]] result<url_parts, url_error> parse_url_parts(
    std::string_view input, url& storage);

}  // namespace loopkit::detail
