#include "loopkit/url.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "loopkit/text.h"
#include "url_host.h"
#include "url_parse.h"

namespace loopkit {

const char* to_string(url_error e) {
  switch (e) {
    case url_error::empty: return "empty";
    case url_error::no_scheme: return "no_scheme";
    case url_error::bad_scheme: return "bad_scheme";
    case url_error::no_host: return "no_host";
    case url_error::bad_host: return "bad_host";
    case url_error::bad_ipv4: return "bad_ipv4";
    case url_error::bad_ipv6: return "bad_ipv6";
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

// The percent-encode sets of https://url.spec.whatwg.org/#percent-encoded-bytes;
// each adds to the one before it, except fragment.
enum class encode_set : std::uint8_t {
  c0_control,
  fragment,
  query,
  special_query,
  path,
};

constexpr bool needs_encoding(unsigned char c, encode_set set) {
  if (c <= 0x1F || c >= 0x7F) return true;
  const bool query = c == ' ' || c == '"' || c == '#' || c == '<' || c == '>';
  switch (set) {
    case encode_set::c0_control:
      return false;
    case encode_set::fragment:
      return c == ' ' || c == '"' || c == '<' || c == '>' || c == '`';
    case encode_set::query:
      return query;
    case encode_set::special_query:
      return query || c == '\'';
    case encode_set::path:
      return query || c == '?' || c == '^' || c == '`' || c == '{' ||
             c == '}';
  }
  return true;
}

// needs_encoding for every byte, one bit per encode set: the test runs on
// every byte of every URL, and a table lookup is cheaper than the branches.
constexpr std::array<std::uint8_t, 256> encoding_table = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    for (int set = 0; set <= static_cast<int>(encode_set::path); ++set) {
      if (needs_encoding(static_cast<unsigned char>(c),
                         static_cast<encode_set>(set))) {
        t[c] |= static_cast<std::uint8_t>(1u << set);
      }
    }
  }
  return t;
}();

constexpr std::uint8_t bit_of(encode_set set) {
  return static_cast<std::uint8_t>(1u << static_cast<int>(set));
}

#if defined(__SSE2__)
// Sixteen bytes at a time: each function below sets the bytes of a block
// that are in a set to 0xFF, using only SSE2 (every x86-64 has it). The
// sets are tested with a few range and pair tricks rather than one compare
// per member, as they run over every byte of both URLs of a page view.

__m128i eq(__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); }

// C0 controls, space, DEL and every byte from 0x80: after adding 1, these
// and only these are below 0x22 as signed bytes (0xFF wraps to 0).
__m128i control_or_non_ascii(__m128i x) {
  return _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(1)),
                        _mm_set1_epi8(0x22));
}

// x | 1 is '#' (0x23) for '"' and '#'; x | 2 is '>' (0x3E) for '<' and
// '>', '^' (0x5E) for '\' and '^', and DEL for '}' and DEL.
__m128i quote_or_hash(__m128i x) {
  return eq(_mm_or_si128(x, _mm_set1_epi8(1)), '#');
}
__m128i angle_bracket(__m128i x) {
  return eq(_mm_or_si128(x, _mm_set1_epi8(2)), '>');
}

__m128i special_query_block(__m128i x) {
  return _mm_or_si128(_mm_or_si128(control_or_non_ascii(x), quote_or_hash(x)),
                      _mm_or_si128(eq(x, '\''), angle_bracket(x)));
}

__m128i fragment_block(__m128i x) {
  return _mm_or_si128(_mm_or_si128(control_or_non_ascii(x), eq(x, '"')),
                      _mm_or_si128(angle_bracket(x), eq(x, '`')));
}
#else
// Without SSE2, find_in_set tests a byte at a time and takes no block.
constexpr std::nullptr_t special_query_block = nullptr;
constexpr std::nullptr_t fragment_block = nullptr;
#endif

// The first position from i on, below n, whose byte is in a set, or n:
// block marks the set's bytes in sixteen (above), byte tests one. s must
// hold n bytes; when n >= 16 the last block is read overlapping the one
// before it, so no byte is tested one by one. Without SSE2, byte alone.
template <class Block, class Byte>
std::size_t find_in_set(const unsigned char* s, std::size_t n, std::size_t i,
                        [[maybe_unused]] Block block, Byte byte) {
#if defined(__SSE2__)
  if (n >= 16) {
    const auto at = [s](std::size_t k) {
      return _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + k));
    };
    for (; i + 16 <= n; i += 16) {
      const int m = _mm_movemask_epi8(block(at(i)));
      if (m != 0) return i + static_cast<std::size_t>(__builtin_ctz(m));
    }
    if (i == n) return n;
    // Bits of the bytes before i, seen already, are shifted out.
    const int m = _mm_movemask_epi8(block(at(n - 16))) >> (i - (n - 16));
    return m == 0 ? n : i + static_cast<std::size_t>(__builtin_ctz(m));
  }
#endif
  while (i < n && !byte(s[i])) ++i;
  return i;
}

// Where in s[i, n) the first byte to encode in the special-query set is, or
// n. '#' is in the set, so a query scan stops at the fragment too.
std::size_t find_special_query_byte(const unsigned char* s, std::size_t n,
                                    std::size_t i) {
  constexpr std::uint8_t bit = bit_of(encode_set::special_query);
  return find_in_set(s, n, i, special_query_block, [](unsigned char c) {
    return (encoding_table[c] & bit) != 0;
  });
}

std::size_t find_fragment_byte(const unsigned char* s, std::size_t n,
                               std::size_t i) {
  constexpr std::uint8_t bit = bit_of(encode_set::fragment);
  return find_in_set(s, n, i, fragment_block, [](unsigned char c) {
    return (encoding_table[c] & bit) != 0;
  });
}

// Bytes of non-UTF-8 input are encoded one by one, so the result is always
// ASCII; an existing '%' is never touched.
// Returns false when s holds a tab or newline, which the input cleaning
// removes: the fast path then leaves the URL to the full parser. Every set
// encodes those bytes, so the check costs nothing on the usual path.
bool append_encoded(std::string& out, std::string_view s, encode_set set) {
  static constexpr char hex[] = "0123456789ABCDEF";
  const auto& table = encoding_table;
  const std::uint8_t bit = bit_of(set);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t run = 0;  // bytes that stay as they are go in one append
  std::size_t i = 0;
  while (i < s.size()) {
    // Long queries are mostly bytes that stay: test eight at a time, with
    // one branch instead of eight.
    while (i + 8 <= s.size() &&
           ((table[p[i]] | table[p[i + 1]] | table[p[i + 2]] |
             table[p[i + 3]] | table[p[i + 4]] | table[p[i + 5]] |
             table[p[i + 6]] | table[p[i + 7]]) & bit) == 0) {
      i += 8;
    }
    const std::size_t block_end = std::min(i + 8, s.size());
    for (; i < block_end; ++i) {
      const unsigned char c = p[i];
      if ((table[c] & bit) == 0) continue;
      if (c == '\t' || c == '\n' || c == '\r') return false;
      out.append(s.data() + run, i - run);
      const char escape[3] = {'%', hex[c >> 4], hex[c & 0xF]};
      out.append(escape, 3);
      run = i + 1;
    }
  }
  out.append(s.data() + run, s.size() - run);
  return true;
}

// C0 controls and space are trimmed from both ends; tab and newlines are
// removed anywhere (https://url.spec.whatwg.org/#concept-basic-url-parser).
// The result views in or, when something had to be removed, buffer.
std::string_view clean_input(std::string_view in, std::string& buffer) {
  while (!in.empty() && static_cast<unsigned char>(in.front()) <= 0x20) {
    in.remove_prefix(1);
  }
  while (!in.empty() && static_cast<unsigned char>(in.back()) <= 0x20) {
    in.remove_suffix(1);
  }
  const auto tab_or_newline = [](char c) {
    return c == '\t' || c == '\n' || c == '\r';
  };
  if (std::none_of(in.begin(), in.end(), tab_or_newline)) {
    return in;  // nearly always: no copy at all
  }
  buffer.reserve(in.size());
  for (char c : in) {
    if (!tab_or_newline(c)) buffer += c;
  }
  return buffer;
}

// https://url.spec.whatwg.org/#single-dot-path-segment and the double-dot
// one below it, percent-encoded spellings included.
bool is_single_dot(std::string_view s) { return s == "." || iequals(s, "%2e"); }

bool is_double_dot(std::string_view s) {
  return s == ".." || iequals(s, ".%2e") || iequals(s, "%2e.") ||
         iequals(s, "%2e%2e");
}

// https://url.spec.whatwg.org/#windows-drive-letter: "C:" or "C|".
bool is_drive_letter(std::string_view s) {
  return s.size() == 2 && is_alpha(s[0]) && (s[1] == ':' || s[1] == '|');
}

bool is_separator(char c, bool special) {
  return c == '/' || (special && c == '\\');
}

// The path state (https://url.spec.whatwg.org/#path-state) over text that
// follows the path's first '/': one segment per separator, "." dropped and
// ".." climbing, a trailing dot segment leaving an empty last segment.
std::string parse_path(std::string_view text, bool special, bool file) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (true) {
    std::size_t end = start;
    while (end < text.size() && !is_separator(text[end], special)) ++end;
    const std::string_view piece = text.substr(start, end - start);
    const bool last = end == text.size();

    if (is_double_dot(piece)) {
      // A file URL's drive letter is the root: "file:///C:/.." stays "/C:/".
      const bool at_drive = file && segments.size() == 1 &&
                            is_drive_letter(segments[0]) &&
                            segments[0][1] == ':';
      if (!segments.empty() && !at_drive) segments.pop_back();
      if (last) segments.emplace_back();
    } else if (is_single_dot(piece)) {
      if (last) segments.emplace_back();
    } else {
      std::string segment;
      append_encoded(segment, piece, encode_set::path);
      if (file && segments.empty() && is_drive_letter(segment)) {
        segment[1] = ':';
      }
      segments.push_back(std::move(segment));
    }
    if (last) break;
    start = end + 1;
  }

  std::string out;
  for (const auto& s : segments) {
    out += '/';
    out += s;
  }
  return out;
}

// https://url.spec.whatwg.org/#cannot-be-a-base-url-path-state: C0 controls
// and non-ASCII encoded. A space just before '?' or '#' is encoded too, so
// the path does not lose it when the query or fragment is removed later.
std::string parse_opaque_path(std::string_view text, bool followed) {
  std::string out;
  append_encoded(out, text, encode_set::c0_control);
  if (followed && !out.empty() && out.back() == ' ') {
    out.pop_back();
    out += "%20";
  }
  return out;
}

// https://url.spec.whatwg.org/#port-state: digits only, leading zeros
// allowed, at most 65535; the scheme's default port is dropped.
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

// The authority state and host state: everything up to the path, query or
// fragment. User info (before the last '@') is dropped; the port follows
// the first ':' outside IPv6 brackets. Consumes the authority from rest.
result<bool, url_error> read_authority(std::string_view& rest, url& out,
                                       const special_scheme* special) {
  const bool is_special = special != nullptr;
  std::size_t end = 0;
  while (end < rest.size() && rest[end] != '?' && rest[end] != '#' &&
         !is_separator(rest[end], is_special)) {
    ++end;
  }
  std::string_view authority = rest.substr(0, end);
  rest.remove_prefix(end);

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
    if (authority.empty()) return fail(url_error::no_host);
  }

  std::size_t colon = 0;
  bool in_brackets = false;
  while (colon < authority.size() &&
         (authority[colon] != ':' || in_brackets)) {
    if (authority[colon] == '[') in_brackets = true;
    if (authority[colon] == ']') in_brackets = false;
    ++colon;
  }
  const std::string_view host_text = authority.substr(0, colon);
  const bool has_port = colon < authority.size();
  if (host_text.empty() && (has_port || is_special)) {
    return fail(url_error::no_host);
  }

  out.has_host = true;
  if (!host_text.empty()) {
    auto host = detail::parse_host(host_text, is_special);
    if (!host) return fail(host.error());
    out.host = std::move(*host);
  }
  if (has_port) {
    auto port = parse_port(authority.substr(colon + 1),
                           is_special ? special->default_port : -1);
    if (!port) return fail(port.error());
    out.port = *port;
  }
  return true;
}

// https://url.spec.whatwg.org/#file-state with no base URL: "file:///p",
// "file://host/p" ("localhost" means no host) and "file:/p" all have an
// empty or named host; "file://C:/x" is a drive letter, not a host.
result<bool, url_error> read_file_authority(std::string_view& rest,
                                            url& out) {
  out.has_host = true;
  if (rest.empty() || !is_separator(rest[0], true)) return true;
  if (rest.size() < 2 || !is_separator(rest[1], true)) {
    rest.remove_prefix(1);
    return true;
  }
  rest.remove_prefix(2);

  std::size_t end = 0;
  while (end < rest.size() && rest[end] != '?' && rest[end] != '#' &&
         !is_separator(rest[end], true)) {
    ++end;
  }
  const std::string_view host_text = rest.substr(0, end);
  if (is_drive_letter(host_text)) return true;

  if (!host_text.empty()) {
    auto host = detail::parse_host(host_text, true);
    if (!host) return fail(host.error());
    if (*host != "localhost") out.host = std::move(*host);
  }
  rest.remove_prefix(end);
  if (!rest.empty() && is_separator(rest[0], true)) rest.remove_prefix(1);
  return true;
}

}  // namespace

namespace detail {

result<url, url_error> parse_url_full(std::string_view input) {
  if (input.size() > max_url_length) return fail(url_error::too_long);
  std::string buffer;
  const std::string_view text = clean_input(input, buffer);
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
  out.scheme = ascii_lower(text.substr(0, colon));
  const special_scheme* special = find_special(out.scheme);
  const bool file = out.scheme == "file";
  std::string_view rest = text.substr(colon + 1);

  // What the path is made of: segments after an authority, segments with
  // no authority ("sc:/a"), or opaque text ("mailto:x@y").
  bool opaque = false;
  if (file) {
    auto ok = read_file_authority(rest, out);
    if (!ok) return fail(ok.error());
  } else if (special != nullptr) {
    // Special schemes ignore any run of slashes before the authority.
    while (!rest.empty() && is_separator(rest.front(), true)) {
      rest.remove_prefix(1);
    }
    auto ok = read_authority(rest, out, special);
    if (!ok) return fail(ok.error());
    if (!rest.empty() && is_separator(rest[0], true)) rest.remove_prefix(1);
  } else if (starts_with(rest, "//")) {
    rest.remove_prefix(2);
    auto ok = read_authority(rest, out, special);
    if (!ok) return fail(ok.error());
  } else if (starts_with(rest, "/")) {
    rest.remove_prefix(1);
  } else {
    opaque = true;
  }

  // The query runs to the first '#'; the fragment is everything after it.
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    append_encoded(out.fragment, rest.substr(hash + 1), encode_set::fragment);
    out.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    append_encoded(out.query, rest.substr(q + 1),
                   special ? encode_set::special_query : encode_set::query);
    out.has_query = true;
    rest = rest.substr(0, q);
  }

  if (opaque) {
    out.path = parse_opaque_path(rest, out.has_query || out.has_fragment);
  } else if (special == nullptr && out.has_host) {
    // "sc://host" has an empty path; "sc://host/a" starts at its '/'.
    if (!rest.empty()) out.path = parse_path(rest.substr(1), false, false);
  } else {
    out.path = parse_path(rest, special != nullptr, file);
  }
  return out;
}

namespace {

// The length of "https://" or "http://" when input starts with either in
// any case, else 0. Setting bit 5 maps 'H' and 'h' to 'h' and no other
// byte to it, and likewise for 't', 'p' and 's'. Anything shorter than
// eight bytes holds no host after the scheme.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
// Eight bytes as a little-endian load gives them.
constexpr std::uint64_t word(const char (&s)[9]) {
  std::uint64_t w = 0;
  for (int i = 7; i >= 0; --i) {
    w = w << 8 | static_cast<unsigned char>(s[i]);
  }
  return w;
}

// One load and two compares: this starts both parses of every page view.
// OR-ing 0x20 folds the letters' case; ':' and '/' are compared exactly.
std::size_t http_prefix_length(std::string_view input) {
  if (input.size() < 8) return 0;
  std::uint64_t w;
  std::memcpy(&w, input.data(), 8);
  constexpr std::uint64_t fold = word("\x20\x20\x20\x20\x20\0\0\0");
  if ((w | fold) == word("https://")) return 8;
  constexpr std::uint64_t seven = 0x00FFFFFFFFFFFFFFull;
  if (((w | (fold & 0xFFFFFFFF)) & seven) == (word("http://x") & seven)) {
    return 7;
  }
  return 0;
}
#else
std::size_t http_prefix_length(std::string_view input) {
  if (input.size() < 8) return 0;
  const char* p = input.data();
  if ((p[0] | 0x20) != 'h' || (p[1] | 0x20) != 't' || (p[2] | 0x20) != 't' ||
      (p[3] | 0x20) != 'p') {
    return 0;
  }
  if (p[4] == ':' && p[5] == '/' && p[6] == '/') return 7;
  if ((p[4] | 0x20) == 's' && p[5] == ':' && p[6] == '/' && p[7] == '/') {
    return 8;
  }
  return 0;
}
#endif

// Bytes that a host name needs no host parser for: for them the domain to
// ASCII step is lower-casing, and none is a forbidden domain code point.
bool is_plain_host_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_';
}

// A host the ends-in-a-number checker
// (https://url.spec.whatwg.org/#ends-in-a-number-checker) passes over: its
// last label starts with a letter, so it is neither decimal, "0x" hex nor
// octal. A trailing dot is left to the full parser.
bool is_plain_domain(std::string_view host) {
  if (host.empty() || host.back() == '.') return false;
  const auto dot = host.rfind('.');
  return is_alpha(host[dot == std::string_view::npos ? 0 : dot + 1]);
}

// Every spelling of "." and ".." starts with '.' or '%'.
bool is_dot_segment(std::string_view s) {
  return !s.empty() && (s[0] == '.' || s[0] == '%') &&
         (is_single_dot(s) || is_double_dot(s));
}

}  // namespace

bool parse_plain_http_url(std::string_view input, url& out) {
  if (input.size() > max_url_length || input.empty()) return false;
  // Leading bytes up to a space are trimmed; 'h' is none of them.
  if (static_cast<unsigned char>(input.back()) <= 0x20) return false;
  std::size_t i = http_prefix_length(input);
  if (i == 0) return false;
  const bool https = i == 8;

  const std::size_t host_start = i;
  while (i < input.size() && is_plain_host_char(input[i])) ++i;
  const std::string_view host = input.substr(host_start, i - host_start);
  if (!is_plain_domain(host)) return false;
  if (i < input.size() && input[i] != '/' && input[i] != '?' &&
      input[i] != '#') {
    return false;  // a port, user info or anything else unusual
  }

  // The path, up to the query or fragment: with no '\' and no dot segment
  // the path state keeps every segment, so encoding the path text whole
  // gives what segment-by-segment parsing gives.
  const std::size_t path_start = i;
  std::size_t segment = i + 1;
  for (; i < input.size() && input[i] != '?' && input[i] != '#'; ++i) {
    const char c = input[i];
    if (c == '\\' || c == '\t' || c == '\n' || c == '\r') return false;
    if (c == '/' && i > path_start) {
      if (is_dot_segment(input.substr(segment, i - segment))) return false;
      segment = i + 1;
    }
  }
  if (i > path_start &&
      is_dot_segment(input.substr(segment, i - segment))) {
    return false;
  }
  const std::string_view path = input.substr(path_start, i - path_start);
  std::string_view rest = input.substr(i);

  // out is the caller's to throw away when a tab or newline turns up late.
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    if (!append_encoded(out.fragment, rest.substr(hash + 1),
                        encode_set::fragment)) {
      return false;
    }
    out.has_fragment = true;
    rest = rest.substr(0, hash);
  }
  if (!rest.empty()) {  // it starts at '?'
    if (!append_encoded(out.query, rest.substr(1),
                        encode_set::special_query)) {
      return false;
    }
    out.has_query = true;
  }
  if (path.empty()) {
    out.path = "/";
  } else {
    append_encoded(out.path, path, encode_set::path);
  }
  out.scheme = https ? "https" : "http";
  out.host.assign(host.data(), host.size());
  for (auto& c : out.host) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  out.has_host = true;
  return true;
}

namespace {

// What each byte is to parse_serialized_http_url, so each takes one table
// lookup. In a path most bytes are none of the path classes: those are 0.
enum : std::uint8_t {
  path_slash = 1,
  path_end = 2,      // '?' or '#'
  path_refused = 4,  // to be percent-encoded, or '\\'
  host_kept = 8,     // a byte of a host name that parse_url keeps as it is
};
constexpr std::uint8_t path_classes = path_slash | path_end | path_refused;

constexpr std::array<std::uint8_t, 256> serialized_table = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const auto b = static_cast<unsigned char>(c);
    if (b == '?' || b == '#') {
      t[c] = path_end;
    } else if (b == '/') {
      t[c] = path_slash;
    } else if (needs_encoding(b, encode_set::path) || b == '\\') {
      t[c] = path_refused;
    }
    if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
        b == '.' || b == '_') {
      t[c] |= host_kept;
    }
  }
  return t;
}();

#if defined(__SSE2__)
// Bytes from lo to hi, compared as signed bytes after moving lo to -128.
__m128i in_range(__m128i x, int lo, int hi) {
  return _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(char(0x80 - lo))),
                        _mm_set1_epi8(char(hi - lo + 1 - 0x80)));
}

// Every byte that is not host_kept: [a-z], [-.0-9] but '/', and '_'.
__m128i host_stop_block(__m128i x) {
  const __m128i digit_dash_dot =
      _mm_andnot_si128(eq(x, '/'), in_range(x, '-', '9'));
  const __m128i kept =
      _mm_or_si128(_mm_or_si128(in_range(x, 'a', 'z'), digit_dash_dot),
                   eq(x, '_'));
  return _mm_xor_si128(kept, _mm_set1_epi8(-1));
}

// Every byte of path_classes: the path's refused bytes, '/', '?' and '#'.
__m128i path_stop_block(__m128i x) {
  const __m128i x2 = _mm_or_si128(x, _mm_set1_epi8(2));
  const __m128i a =
      _mm_or_si128(_mm_or_si128(control_or_non_ascii(x), quote_or_hash(x)),
                   _mm_or_si128(eq(x2, '>'), eq(x, '?')));
  const __m128i b = _mm_or_si128(_mm_or_si128(eq(x, '/'), eq(x2, '^')),
                                 _mm_or_si128(eq(x, '`'), eq(x, '{')));
  return _mm_or_si128(_mm_or_si128(a, b), eq(x2, '\x7F'));
}
#else
constexpr std::nullptr_t host_stop_block = nullptr;
constexpr std::nullptr_t path_stop_block = nullptr;
#endif

std::size_t find_host_stop(const unsigned char* s, std::size_t n,
                           std::size_t i) {
  return find_in_set(s, n, i, host_stop_block, [](unsigned char c) {
    return (serialized_table[c] & host_kept) == 0;
  });
}

std::size_t find_path_stop(const unsigned char* s, std::size_t n,
                           std::size_t i) {
  return find_in_set(s, n, i, path_stop_block, [](unsigned char c) {
    return (serialized_table[c] & path_classes) != 0;
  });
}

}  // namespace

bool parse_serialized_http_url(std::string_view input, url_parts& out) {
  if (input.size() > max_url_length) return false;
  std::size_t i = http_prefix_length(input);
  if (i == 0) return false;
  const bool https = i == 8;

  // Bytes by pointer, found a block at a time: the host and path scans run
  // for both URLs of every page view.
  const auto* const s = reinterpret_cast<const unsigned char*>(input.data());
  const std::size_t n = input.size();

  // Every byte that would be trimmed or removed (C0 controls, space) is in
  // every encode set and is no host byte, so the checks below refuse it.
  const std::size_t host_start = i;
  i = find_host_stop(s, n, i);
  const std::string_view host = input.substr(host_start, i - host_start);
  if (!is_plain_domain(host)) return false;
  if (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#') return false;

  const std::size_t path_start = i;
  std::size_t segment = i + 1;
  for (; i < n; ++i) {
    i = find_path_stop(s, n, i);
    if (i == n) break;
    const std::uint8_t t = serialized_table[s[i]] & path_classes;
    if (t == path_end) break;
    if (t == path_refused) return false;
    if (i > path_start) {  // a '/' ends a segment
      if (is_dot_segment(input.substr(segment, i - segment))) return false;
      segment = i + 1;
    }
  }
  if (i > path_start &&
      is_dot_segment(input.substr(segment, i - segment))) {
    return false;
  }

  // One scan over the query, stopping at the first byte to encode, which is
  // the fragment's '#' when there is nothing to encode.
  out.scheme = https ? "https" : "http";
  out.host = host;
  out.path = i == path_start ? std::string_view("/")
                             : input.substr(path_start, i - path_start);
  out.query = {};
  out.fragment = {};
  out.has_query = i < n && s[i] == '?';
  out.has_fragment = false;
  if (out.has_query) {
    const std::size_t end = find_special_query_byte(s, n, i + 1);
    out.query = input.substr(i + 1, end - i - 1);
    i = end;
  }
  if (i < n) {
    if (s[i] != '#') return false;
    if (find_fragment_byte(s, n, i + 1) != n) return false;
    out.fragment = input.substr(i + 1);
    out.has_fragment = true;
  }
  return true;
}

namespace {

// The rest of parse_url_parts, kept out of line so the common case saves
// and restores few registers.
[[gnu::noinline]] void parse_url_parts_fully(
    std::string_view input, url& storage, result<url_parts, url_error>& out) {
  auto parsed = parse_url(input);
  if (!parsed) {
    out = fail(parsed.error());
    return;
  }
  storage = std::move(*parsed);
  url_parts& parts = *out;
  parts.scheme = storage.scheme;
  parts.host = storage.host;
  parts.path = storage.path;
  parts.query = storage.query;
  parts.fragment = storage.fragment;
  parts.has_query = storage.has_query;
  parts.has_fragment = storage.has_fragment;
}

}  // namespace

result<url_parts, url_error> parse_url_parts(std::string_view input,
                                             url& storage) {
  // The parts are filled where the caller's result lies: the one return
  // names this object, so it is never copied, where returning a url_parts
  // would copy it twice on the way into the result.
  result<url_parts, url_error> out(std::in_place);
  if (!parse_serialized_http_url(input, *out)) {
    parse_url_parts_fully(input, storage, out);
  }
  return out;
}

}  // namespace detail

result<url, url_error> parse_url(std::string_view input) {
  if (url out; detail::parse_plain_http_url(input, out)) return out;
  return detail::parse_url_full(input);
}

std::string serialize(const url& u) {
  std::string out = u.scheme + ":";
  if (u.has_host) {
    out += "//";
    out += u.host;
    if (u.port) out += ":" + std::to_string(*u.port);
  } else if (starts_with(u.path, "//")) {
    // Without "/." the path's empty first segment would read as a host
    // (https://url.spec.whatwg.org/#url-serializing).
    out += "/.";
  }
  out += u.path;
  if (u.has_query) out += "?" + u.query;
  if (u.has_fragment) out += "#" + u.fragment;
  return out;
}

}  // namespace loopkit
