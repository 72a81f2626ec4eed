// Small string helpers shared by the parsers. Everything here is
// locale-independent, so native and WebAssembly builds agree byte for byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace loopkit {

// ASCII-only lower-casing; other bytes (UTF-8 sequences) are kept as they are.
std::string ascii_lower(std::string_view s);

// ASCII case-insensitive equality. Inline: the classifiers compare short
// keys and names many times for every page view.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Leading and trailing ASCII whitespace removed.
std::string_view trim(std::string_view s);

// Replaces every invalid UTF-8 sequence with U+FFFD, so any text can be put
// in JSON. Valid input is returned unchanged.
std::string sanitize_utf8(std::string_view s);

// True when sanitize_utf8(s) would return s unchanged; allocates nothing.
bool is_valid_utf8(std::string_view s);

// At most max_bytes bytes, cut on a UTF-8 character boundary.
std::string truncate_utf8(std::string_view s, std::size_t max_bytes);

// out = text, where text is no part of out: append skips the overlap
// checks of assign, and a report's fields are set a dozen times for each
// page view.
inline void set_text(std::string& out, std::string_view text) {
  out.clear();
  out.append(text.data(), text.size());
}

// The value of one hex digit, or -1 for any other character.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ends_with(std::string_view s, std::string_view suffix);
bool starts_with(std::string_view s, std::string_view prefix);

}  // namespace loopkit
