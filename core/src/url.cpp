#include "loopkit/url.h"

#include <array>

#include "loopkit/query.h"
#include "loopkit/text.h"

namespace loopkit {

const char* to_string(url_error e) {
  switch (e) {
    case url_error::empty: return "empty";
    case url_error::no_scheme: return "no_scheme";
    case url_error::bad_scheme: return "bad_scheme";
    case url_error::no_host: return "no_host";
    case url_error::bad_host: return "bad_host";
    case url_error::bad_port: return "bad_port";
    case url_error::too_long: return "too_long";
  }
  return "unknown";
}

namespace {

bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// https://url.spec.whatwg.org/#special-scheme
struct special_scheme {
  std::string_view name;
  int default_port;  // -1: none
};
constexpr std::array<special_scheme, 6> special_schemes{{
    {"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}, {"ftp", 21},
    {"file", -1}}};

const special_scheme* find_special(std::string_view scheme) {
  for (const auto& s : special_schemes) {
    if (s.name == scheme) return &s;
  }
  return nullptr;
}

// https://url.spec.whatwg.org/#forbidden-host-code-point
bool is_forbidden_host_char(unsigned char c) {
  switch (c) {
    case 0: case '\t': case '\n': case '\r': case ' ': case '#': case '/':
    case ':': case '<': case '>': case '?': case '@': case '[': case '\\':
    case ']': case '^': case '|':
      return true;
    default:
      return false;
  }
}

// C0 controls and space are trimmed from both ends; tab and newlines are
// removed anywhere (https://url.spec.whatwg.org/#concept-basic-url-parser).
std::string clean_input(std::string_view in) {
  while (!in.empty() && static_cast<unsigned char>(in.front()) <= 0x20) {
    in.remove_prefix(1);
  }
  while (!in.empty() && static_cast<unsigned char>(in.back()) <= 0x20) {
    in.remove_suffix(1);
  }
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    if (c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

// Removes "." and ".." segments (https://url.spec.whatwg.org/#path-state),
// including their percent-encoded spellings.
std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // path begins with '/'
  bool trailing_slash = false;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(start, end - start);
    const std::string lower = ascii_lower(seg);
    const bool last = end == path.size();
    if (lower == "." || lower == "%2e") {
      trailing_slash = last;
    } else if (lower == ".." || lower == ".%2e" || lower == "%2e." ||
               lower == "%2e%2e") {
      if (!segments.empty()) segments.pop_back();
      trailing_slash = last;
    } else {
      segments.push_back(seg);
      trailing_slash = false;
    }
    start = end + 1;
  }

  std::string out;
  for (const auto seg : segments) {
    out += '/';
    out.append(seg);
  }
  if (trailing_slash || out.empty()) out += '/';
  return out;
}

result<std::optional<std::uint16_t>, url_error> parse_port(
    std::string_view text, int default_port) {
  if (text.empty()) return std::optional<std::uint16_t>{};
  long value = 0;
  for (char c : text) {
    if (!is_digit(c)) return fail(url_error::bad_port);
    value = value * 10 + (c - '0');
    if (value > 65535) return fail(url_error::bad_port);
  }
  if (value == default_port) return std::optional<std::uint16_t>{};
  return std::optional<std::uint16_t>{static_cast<std::uint16_t>(value)};
}

}  // namespace

result<url, url_error> parse_url(std::string_view input) {
  if (input.size() > max_url_length) return fail(url_error::too_long);
  const std::string text = clean_input(input);
  if (text.empty()) return fail(url_error::empty);

  // Scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  if (!is_alpha(text[0])) return fail(url_error::no_scheme);
  std::size_t colon = 1;
  while (colon < text.size() &&
         (is_alpha(text[colon]) || is_digit(text[colon]) ||
          text[colon] == '+' || text[colon] == '-' || text[colon] == '.')) {
    ++colon;
  }
  if (colon == text.size() || text[colon] != ':') {
    return fail(url_error::no_scheme);
  }

  url out;
  out.scheme = ascii_lower(std::string_view(text).substr(0, colon));
  const special_scheme* special = find_special(out.scheme);
  std::string_view rest = std::string_view(text).substr(colon + 1);

  // Fragment and query split off first; what remains is authority + path.
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    out.fragment = std::string(rest.substr(hash + 1));
    out.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    out.query = std::string(rest.substr(q + 1));
    out.has_query = true;
    rest = rest.substr(0, q);
  }

  const auto is_slash = [&](char c) {
    return c == '/' || (special != nullptr && c == '\\');
  };
  const bool has_authority =
      special != nullptr ? out.scheme != "file" || starts_with(rest, "//")
                         : starts_with(rest, "//");
  if (!has_authority) {
    // Opaque ("mailto:x@y") or host-less path.
    out.path = std::string(rest);
    return out;
  }

  // Special schemes ignore any run of slashes before the authority.
  while (!rest.empty() && is_slash(rest.front())) rest.remove_prefix(1);
  std::size_t auth_end = 0;
  while (auth_end < rest.size() && !is_slash(rest[auth_end])) ++auth_end;
  std::string_view authority = rest.substr(0, auth_end);
  std::string_view path = rest.substr(auth_end);

  // User info is never kept: it may hold a password.
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }

  std::string_view host_text = authority;
  std::string_view port_text;
  if (starts_with(authority, "[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail(url_error::bad_host);
    host_text = authority.substr(0, close + 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail(url_error::bad_host);
      port_text = after.substr(1);
    }
  } else if (const auto c = authority.rfind(':');
             c != std::string_view::npos) {
    host_text = authority.substr(0, c);
    port_text = authority.substr(c + 1);
  }

  if (special != nullptr) {
    out.host = ascii_lower(percent_decode(host_text, false));
  } else {
    out.host = std::string(host_text);
  }
  if (out.host.empty() && special != nullptr && out.scheme != "file") {
    return fail(url_error::no_host);
  }
  const bool ipv6 = starts_with(out.host, "[");
  for (std::size_t i = 0; i < out.host.size(); ++i) {
    const auto c = static_cast<unsigned char>(out.host[i]);
    const bool bracket = ipv6 && (i == 0 || i + 1 == out.host.size());
    const bool ipv6_colon = ipv6 && c == ':';
    if (is_forbidden_host_char(c) && !bracket && !ipv6_colon) {
      return fail(url_error::bad_host);
    }
    if (c < 0x20 || c == 0x7F) return fail(url_error::bad_host);
  }

  auto port = parse_port(port_text, special ? special->default_port : -1);
  if (!port) return fail(port.error());
  out.port = *port;

  std::string p(path);
  if (special != nullptr) {
    for (auto& c : p) {
      if (c == '\\') c = '/';
    }
    out.path = normalize_path(p.empty() ? "/" : p);
  } else {
    out.path = p.empty() ? p : normalize_path(p);
  }
  return out;
}

}  // namespace loopkit
