// Absolute URL parsing for page and referrer URLs, after the WHATWG URL
// Standard's rules for special schemes (https://url.spec.whatwg.org/).
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
  bad_host,      // forbidden host code points, or an unclosed IPv6 bracket
  bad_port,      // not digits, or over 65535
  too_long,      // over max_url_length bytes
};

const char* to_string(url_error e);

inline constexpr std::size_t max_url_length = 16 * 1024;

struct url {
  std::string scheme;  // lower-case, without ':'
  std::string host;    // lower-case; empty for schemes without one
  std::optional<std::uint16_t> port;  // absent when default for the scheme
  std::string path;    // "/" at least for http(s)
  std::string query;   // without '?'
  std::string fragment;  // without '#'
  bool has_query = false;
  bool has_fragment = false;
};

// Parses an absolute URL. Leading and trailing C0 controls and spaces are
// trimmed, tabs and newlines removed, '\' read as '/' in http(s) URLs, user
// info dropped and the default port elided.
//   parse_url("HTTPS://Shop.Example:443/a?b=1#c") -> host "shop.example",
//   no port, path "/a", query "b=1", fragment "c".
[[nodiscard]] result<url, url_error> parse_url(std::string_view input);

}  // namespace loopkit
