#include "punycode.h"

#include <algorithm>
#include <cstdint>

namespace loopkit::detail {

namespace {

// The parameter values of https://www.rfc-editor.org/rfc/rfc3492#section-5
constexpr std::uint32_t base = 36;
constexpr std::uint32_t t_min = 1;
constexpr std::uint32_t t_max = 26;
constexpr std::uint32_t skew = 38;
constexpr std::uint32_t damp = 700;
constexpr std::uint32_t initial_bias = 72;
constexpr std::uint32_t initial_n = 0x80;
constexpr std::size_t max_label = 1024;

char digit(std::uint32_t d) {
  return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
}

// https://www.rfc-editor.org/rfc/rfc3492#section-6.1
std::uint32_t adapt(std::uint32_t delta, std::uint32_t points, bool first) {
  delta = first ? delta / damp : delta / 2;
  delta += delta / points;
  std::uint32_t k = 0;
  while (delta > ((base - t_min) * t_max) / 2) {
    delta /= base - t_min;
    k += base;
  }
  return k + (base - t_min + 1) * delta / (delta + skew);
}

}  // namespace

std::optional<std::string> punycode_encode(const std::u32string& label) {
  if (label.size() > max_label) return std::nullopt;

  std::string out;
  for (const char32_t c : label) {
    if (c < 0x80) out += static_cast<char>(c);
  }
  const auto basic = static_cast<std::uint32_t>(out.size());
  if (basic > 0) out += '-';

  // https://www.rfc-editor.org/rfc/rfc3492#section-6.3; with labels this
  // short, delta stays far below 2^32 (checked all the same).
  std::uint32_t n = initial_n;
  std::uint32_t delta = 0;
  std::uint32_t bias = initial_bias;
  std::uint32_t handled = basic;
  while (handled < label.size()) {
    std::uint32_t m = UINT32_MAX;
    for (const char32_t c : label) {
      if (c >= n) m = std::min<std::uint32_t>(m, c);
    }
    const std::uint64_t step =
        std::uint64_t{m - n} * (std::uint64_t{handled} + 1);
    if (step > UINT32_MAX - delta) return std::nullopt;
    delta += static_cast<std::uint32_t>(step);
    n = m;

    for (const char32_t c : label) {
      if (c < n && ++delta == 0) return std::nullopt;
      if (c != n) continue;
      std::uint32_t q = delta;
      for (std::uint32_t k = base;; k += base) {
        const std::uint32_t t =
            k <= bias ? t_min : (k >= bias + t_max ? t_max : k - bias);
        if (q < t) break;
        out += digit(t + (q - t) % (base - t));
        q = (q - t) / (base - t);
      }
      out += digit(q);
      bias = adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return out;
}

}  // namespace loopkit::detail
