#include "loopkit/text.h"

namespace loopkit {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Reads the UTF-8 sequence starting at s[i]. Returns its length and whether
// it is valid; an invalid one covers the maximal subpart that could have begun
// a character, so each becomes a single U+FFFD as browsers emit
// (https://encoding.spec.whatwg.org/#utf-8-decoder: no overlongs, no
// surrogates, nothing above U+10FFFF).
struct utf8_step {
  std::size_t length;
  bool valid;
};

utf8_step utf8_sequence(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) {
    return static_cast<unsigned char>(s[k]);
  };
  const unsigned char c = b(i);
  if (c < 0x80) return {1, true};

  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return {1, false};
  }

  for (std::size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) return {k, false};
    const unsigned char first_lo = k == 1 ? lo : 0x80;
    const unsigned char first_hi = k == 1 ? hi : 0xBF;
    if (b(i + k) < first_lo || b(i + k) > first_hi) return {k, false};
  }
  return {n, true};
}

}  // namespace

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  std::size_t valid_from = 0;  // valid bytes are copied a run at a time
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const utf8_step step = utf8_sequence(s, i);
    if (!step.valid) {
      out.append(s.data() + valid_from, i - valid_from);
      out += "\xEF\xBF\xBD";
      valid_from = i + step.length;
    }
    i += step.length;
  }
  out.append(s.data() + valid_from, s.size() - valid_from);
  return out;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const utf8_step step = utf8_sequence(s, i);
    if (!step.valid) return false;
    i += step.length;
  }
  return true;
}

std::string truncate_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t end = max_bytes;
  // Step back over continuation bytes so no character is split.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace loopkit
