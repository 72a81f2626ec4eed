// What every fuzz target shares: the input as a string_view (it may hold
// NUL and any byte), and a check that stops the run, so an invariant that
// breaks is reported as a crash with the input that broke it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "loopkit/text.h"

namespace loopkit::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

inline bool is_utf8(const std::string& s) { return sanitize_utf8(s) == s; }

// Splits "a\nb" into "a" and "b" (b empty when there is no newline), for
// targets that take two strings.
inline std::pair<std::string_view, std::string_view> split_line(
    std::string_view s) {
  const auto nl = s.find('\n');
  if (nl == std::string_view::npos) return {s, {}};
  return {s.substr(0, nl), s.substr(nl + 1)};
}

}  // namespace loopkit::fuzz
