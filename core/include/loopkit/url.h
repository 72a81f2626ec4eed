// Absolute URL parsing for page and referrer URLs, after the WHATWG URL
// Standard's basic URL parser (https://url.spec.whatwg.org/#concept-basic-url-parser)
// with no base URL. tests/conformance/url_conformance_test.cpp runs it
// against the web-platform-tests URL cases.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "loopkit/result.h"

namespace loopkit {

enum class url_error : std::uint8_t {
  empty,         // nothing but whitespace
  no_scheme,     // "www.example.com/x": a relative reference
  bad_scheme,    // characters a scheme cannot hold
  no_host,       // "https:///x"
  bad_host,      // forbidden host code points, or text no domain can hold
  bad_ipv4,      // a host ending in a number that is no IPv4 address
  bad_ipv6,      // "[...]" that is no IPv6 address, or an unclosed bracket
  bad_port,      // not digits, or over 65535
  too_long,      // over max_url_length bytes
};

const char* to_string(url_error e);

inline constexpr std::size_t max_url_length = 16 * 1024;

// Every part is in its serialized form, as a browser's URL object shows it:
// path, query and fragment percent-encoded (https://url.spec.whatwg.org/#percent-encoded-bytes),
// never decoded.
struct url {
  std::string scheme;  // lower-case, without ':'
  // For http(s), ws(s) and ftp: a lower-case ASCII domain ("xn--" for
  // international names), dotted-decimal IPv4 or "[...]" IPv6. For other
  // schemes the text as given, percent-encoded; empty when there is none.
  std::string host;
  std::optional<std::uint16_t> port;  // absent when default for the scheme
  std::string path;    // "/" at least for http(s)
  std::string query;   // without '?'
  std::string fragment;  // without '#'
  bool has_host = false;  // "//" and an authority, possibly an empty one
  bool has_query = false;
  bool has_fragment = false;
};

// Parses an absolute URL. Leading and trailing C0 controls and spaces are
// trimmed, tabs and newlines removed, '\' read as '/' in special URLs, user
// info dropped, the default port elided, "." and ".." segments resolved and
// IPv4 hosts in any spelling normalised ("http://0x7f.1" -> "127.0.0.1").
//   parse_url("HTTPS://Shop.Example:443/a?b=1#c") -> host "shop.example",
//   no port, path "/a", query "b=1", fragment "c".
// Relative references fail with no_scheme: there is no base to resolve them.
[[nodiscard]] result<url, url_error> parse_url(std::string_view input);

// The URL as text, like a browser's href but without user info, which
// parse_url drops: serialize(*parse_url("HTTP://a.test")) == "http://a.test/".
std::string serialize(const url& u);

}  // namespace loopkit
