#include "url_host.h"

#include <array>
#include <cstdint>
#include <optional>

#include "loopkit/text.h"
#include "punycode.h"

namespace loopkit::detail {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// https://url.spec.whatwg.org/#forbidden-host-code-point
bool is_forbidden_host(unsigned char c) {
  switch (c) {
    case 0: case '\t': case '\n': case '\r': case ' ': case '#': case '/':
    case ':': case '<': case '>': case '?': case '@': case '[': case '\\':
    case ']': case '^': case '|':
      return true;
    default:
      return false;
  }
}

// https://url.spec.whatwg.org/#forbidden-domain-code-point
bool is_forbidden_domain(unsigned char c) {
  return is_forbidden_host(c) || c <= 0x1F || c == '%' || c == 0x7F;
}

// https://url.spec.whatwg.org/#percent-decode: bytes out, bad escapes kept.
std::string percent_decode_bytes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// https://url.spec.whatwg.org/#ipv4-number-parser: decimal, "0x" hex or
// "0" octal. The spec's numbers are unbounded; any value past 2^32 fails
// later, so the result saturates instead of overflowing.
std::optional<std::uint64_t> parse_ipv4_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t radix = 10;
  if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    radix = 16;
  } else if (s.size() >= 2 && s[0] == '0') {
    s.remove_prefix(1);
    radix = 8;
  }

  constexpr std::uint64_t cap = std::uint64_t{1} << 40;
  std::uint64_t value = 0;
  for (const char c : s) {
    const int d = hex_value(c);
    if (d < 0 || static_cast<std::uint64_t>(d) >= radix) return std::nullopt;
    value = value * radix + static_cast<std::uint64_t>(d);
    if (value > cap) value = cap;
  }
  return value;
}

// https://url.spec.whatwg.org/#ends-in-a-number-checker: "1.2.3.4",
// "foo.0x10" and "foo.09" all take the IPv4 path (the last two then fail).
bool ends_in_number(std::string_view domain) {
  // One trailing dot ends the domain without starting an empty last label.
  if (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  const auto dot = domain.rfind('.');
  const std::string_view last =
      dot == std::string_view::npos ? domain : domain.substr(dot + 1);
  if (last.empty()) return false;
  bool digits = true;
  for (const char c : last) digits = digits && is_digit(c);
  return digits || parse_ipv4_number(last).has_value();
}

// https://url.spec.whatwg.org/#concept-ipv4-parser
result<std::string, url_error> parse_ipv4(std::string_view input) {
  if (!input.empty() && input.back() == '.') input.remove_suffix(1);
  std::array<std::uint64_t, 4> numbers{};
  std::size_t count = 0;
  while (true) {
    if (count == numbers.size()) return fail(url_error::bad_ipv4);
    const auto dot = input.find('.');
    const auto n = parse_ipv4_number(input.substr(0, dot));
    if (!n) return fail(url_error::bad_ipv4);
    numbers[count++] = *n;
    if (dot == std::string_view::npos) break;
    input.remove_prefix(dot + 1);
  }
  for (std::size_t i = 0; i + 1 < count; ++i) {
    if (numbers[i] > 255) return fail(url_error::bad_ipv4);
  }
  const std::size_t rest = 5 - count;
  if (numbers[count - 1] >= (std::uint64_t{1} << (8 * rest))) {
    return fail(url_error::bad_ipv4);
  }

  std::uint64_t address = numbers[count - 1];
  for (std::size_t i = 0; i + 1 < count; ++i) {
    address += numbers[i] << (8 * (3 - i));
  }
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) {
    out += std::to_string((address >> shift) & 0xFF);
    if (shift > 0) out += '.';
  }
  return out;
}

// https://url.spec.whatwg.org/#concept-ipv6-serializer: lower-case hex, the
// first longest run of two or more zero pieces written as "::".
std::string serialize_ipv6(const std::array<std::uint16_t, 8>& pieces) {
  int best = -1, best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && pieces[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }

  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "[";
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += i == 0 ? "::" : ":";
      i += best_len - 1;
      continue;
    }
    std::string piece;
    for (unsigned v = pieces[i]; v > 0 || piece.empty(); v >>= 4) {
      piece.insert(piece.begin(), hex[v & 0xF]);
    }
    out += piece;
    if (i < 7) out += ':';
  }
  out += ']';
  return out;
}

// https://url.spec.whatwg.org/#concept-ipv6-parser, followed step by step;
// input is the text between the brackets.
result<std::string, url_error> parse_ipv6(std::string_view input) {
  std::array<std::uint16_t, 8> address{};
  int piece = 0;
  int compress = -1;
  std::size_t p = 0;
  const auto at = [&](std::size_t i) -> int {
    return i < input.size() ? static_cast<unsigned char>(input[i]) : -1;
  };

  if (at(p) == ':') {
    if (at(p + 1) != ':') return fail(url_error::bad_ipv6);
    p += 2;
    compress = ++piece;
  }
  while (at(p) != -1) {
    if (piece == 8) return fail(url_error::bad_ipv6);
    if (at(p) == ':') {
      if (compress != -1) return fail(url_error::bad_ipv6);
      ++p;
      compress = ++piece;
      continue;
    }

    unsigned value = 0;
    int length = 0;
    while (length < 4 && at(p) != -1 && hex_value(input[p]) >= 0) {
      value = value * 16 + static_cast<unsigned>(hex_value(input[p]));
      ++p;
      ++length;
    }

    if (at(p) == '.') {
      // An IPv4 address in the last two pieces: "::ffff:1.2.3.4".
      if (length == 0 || piece > 6) return fail(url_error::bad_ipv6);
      p -= static_cast<std::size_t>(length);
      int seen = 0;
      while (at(p) != -1) {
        if (seen > 0) {
          if (at(p) != '.' || seen >= 4) return fail(url_error::bad_ipv6);
          ++p;
        }
        if (at(p) == -1 || !is_digit(input[p])) {
          return fail(url_error::bad_ipv6);
        }
        int v4 = -1;
        while (at(p) != -1 && is_digit(input[p])) {
          const int d = input[p] - '0';
          if (v4 == 0) return fail(url_error::bad_ipv6);  // leading zero
          v4 = v4 < 0 ? d : v4 * 10 + d;
          if (v4 > 255) return fail(url_error::bad_ipv6);
          ++p;
        }
        address[piece] =
            static_cast<std::uint16_t>(address[piece] * 0x100 + v4);
        ++seen;
        if (seen == 2 || seen == 4) ++piece;
      }
      if (seen != 4) return fail(url_error::bad_ipv6);
      break;
    }
    if (at(p) == ':') {
      ++p;
      if (at(p) == -1) return fail(url_error::bad_ipv6);
    } else if (at(p) != -1) {
      return fail(url_error::bad_ipv6);
    }
    address[piece++] = static_cast<std::uint16_t>(value);
  }

  if (compress != -1) {
    int swaps = piece - compress;
    for (int i = 7; i != 0 && swaps > 0; --i, --swaps) {
      std::swap(address[i], address[compress + swaps - 1]);
    }
  } else if (piece != 8) {
    return fail(url_error::bad_ipv6);
  }
  return serialize_ipv6(address);
}

// Reads UTF-8 into code points; nullopt when the bytes are not UTF-8.
std::optional<std::u32string> decode_utf8(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t n = b0 < 0x80 ? 1 : b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
    if ((b0 >= 0x80 && b0 < 0xC2) || b0 > 0xF4 || i + n > s.size()) {
      return std::nullopt;
    }
    char32_t c = n == 1 ? b0 : b0 & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      c = (c << 6) | (b & 0x3F);
    }
    const bool overlong = (n == 3 && c < 0x800) || (n == 4 && c < 0x10000);
    if (overlong || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
      return std::nullopt;
    }
    out += c;
    i += n;
  }
  return out;
}

// Code points UTS 46 maps to nothing (https://www.unicode.org/reports/tr46/,
// status "ignored"): soft hyphen, variation selectors, zero-width space and
// the byte-order mark are the ones seen in links.
bool is_ignored(char32_t c) {
  return c == 0xAD || c == 0x34F || (c >= 0x180B && c <= 0x180F) ||
         c == 0x200B || c == 0x2060 || (c >= 0xFE00 && c <= 0xFE0F) ||
         c == 0xFEFF;
}

// Code points no domain can hold after UTS 46 mapping: C1 controls, spaces
// (mapped to U+0020, a forbidden code point), private use, noncharacters
// and U+FFFD, which stands for bytes that were not text.
bool is_disallowed(char32_t c) {
  return (c >= 0x80 && c <= 0xA0) || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || (c >= 0xE000 && c <= 0xF8FF) ||
         (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE ||
         c == 0xFFFD || c >= 0xF0000;
}

bool is_dot(char32_t c) {
  // U+3002 IDEOGRAPHIC FULL STOP and its full- and half-width forms
  // separate labels too (UTS 46 maps them to '.').
  return c == '.' || c == 0x3002 || c == 0xFF0E || c == 0xFF61;
}

// Domain to ASCII (https://url.spec.whatwg.org/#concept-domain-to-ascii) for
// text with non-ASCII code points. Browsers send hosts already converted,
// so this covers what people type: labels in lower case become "xn--"
// Punycode. The full UTS 46 mapping tables (case folding beyond ASCII,
// NFC, compatibility forms) are not carried; such labels are encoded as
// they are and may differ from a browser's answer.
result<std::string, url_error> unicode_domain_to_ascii(std::string_view s) {
  const auto points = decode_utf8(s);
  if (!points) return fail(url_error::bad_host);

  std::string out;
  std::u32string label;
  bool ascii_label = true;
  const auto flush = [&]() -> bool {
    if (ascii_label) {
      for (const char32_t c : label) out += static_cast<char>(c);
    } else {
      const auto encoded = punycode_encode(label);
      if (!encoded) return false;
      out += "xn--" + *encoded;
    }
    label.clear();
    ascii_label = true;
    return true;
  };
  for (char32_t c : *points) {
    if (is_ignored(c)) continue;
    if (is_disallowed(c)) return fail(url_error::bad_host);
    if (is_dot(c)) {
      if (!flush()) return fail(url_error::bad_host);
      out += '.';
      continue;
    }
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c >= 0x80) ascii_label = false;
    label += c;
  }
  if (!flush()) return fail(url_error::bad_host);
  return out;
}

// https://url.spec.whatwg.org/#concept-opaque-host-parser
result<std::string, url_error> parse_opaque_host(std::string_view input) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : input) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_forbidden_host(c)) return fail(url_error::bad_host);
    if (c <= 0x1F || c >= 0x7F) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

result<std::string, url_error> parse_host(std::string_view input,
                                          bool special) {
  if (!input.empty() && input.front() == '[') {
    if (input.size() < 2 || input.back() != ']') {
      return fail(url_error::bad_ipv6);
    }
    return parse_ipv6(input.substr(1, input.size() - 2));
  }
  if (!special) return parse_opaque_host(input);

  std::string decoded = input.find('%') == std::string_view::npos
                            ? std::string(input)
                            : percent_decode_bytes(input);
  bool ascii = true;
  for (const char c : decoded) {
    ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  }
  std::string domain;
  if (ascii) {
    // For ASCII, domain to ASCII is lower-casing.
    domain = std::move(decoded);
    for (auto& c : domain) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  } else {
    auto converted = unicode_domain_to_ascii(decoded);
    if (!converted) return converted;
    domain = std::move(*converted);
  }

  if (domain.empty()) return fail(url_error::no_host);
  for (const char c : domain) {
    if (is_forbidden_domain(static_cast<unsigned char>(c))) {
      return fail(url_error::bad_host);
    }
  }
  if (ends_in_number(domain)) return parse_ipv4(domain);
  return domain;
}

}  // namespace loopkit::detail
