#include "loopkit/query.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "loopkit/text.h"

namespace loopkit {

namespace {

// Each byte's value as a hex digit, or -1: one load per digit where
// hex_value (text.h) takes up to three range tests.
constexpr std::array<std::int8_t, 256> hex_digits = [] {
  std::array<std::int8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<std::size_t>(c)] =
        static_cast<std::int8_t>(hex_value(static_cast<char>(c)));
  }
  return t;
}();

// Written through a pointer into out, sized to the input, which decoding
// never exceeds: no append per byte, and out's capacity is reused. ascii
// tells whether every byte written is below 0x80, which makes the result
// UTF-8 already.
void decode_bytes(std::string& out, std::string_view s, bool plus_as_space,
                  bool* ascii = nullptr) {
  out.resize(s.size());
  char* const begin = out.data();
  char* o = begin;
  unsigned copied = 0;   // the bits of every byte copied as it is
  unsigned escaped = 0;  // the bits of every escape's first hex digit
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      const int hi = hex_digits[static_cast<unsigned char>(s[i + 1])];
      const int lo = hex_digits[static_cast<unsigned char>(s[i + 2])];
      if (hi >= 0 && lo >= 0) {
        escaped |= static_cast<unsigned>(hi);
        *o++ = static_cast<char>(hi * 16 + lo);
        i += 3;
        continue;
      }
    }
    copied |= static_cast<unsigned char>(c);
    *o++ = (plus_as_space && c == '+') ? ' ' : c;
    ++i;
  }
  out.resize(static_cast<std::size_t>(o - begin));
  // A byte from 0x80: copied with bit 7 set, or escaped as %8 to %F.
  if (ascii != nullptr) *ascii = (copied & 0x80u) == 0 && (escaped & 8u) == 0;
}

void decode_with(std::string& out, std::string_view s, bad_utf8 policy) {
  bool ascii = false;
  decode_bytes(out, s, true, &ascii);
  if (ascii || is_valid_utf8(out)) return;
  // Decoding may produce bytes that are not UTF-8 ("%E9" from a Latin-1
  // page, or "%ba" in "foo%bar" that was never meant as an escape).
  out = sanitize_utf8(policy == bad_utf8::keep_raw ? s
                                                   : std::string_view(out));
}

std::string decode_with(std::string_view s, bad_utf8 policy) {
  std::string out;
  decode_with(out, s, policy);
  return out;
}

}  // namespace

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string bytes;
  decode_bytes(bytes, s, plus_as_space);
  return sanitize_utf8(bytes);
}

query_params parse_query(std::string_view raw, bad_utf8 policy) {
  if (!raw.empty() && raw.front() == '?') raw.remove_prefix(1);

  query_params out;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t end = raw.find('&', start);
    if (end == std::string_view::npos) end = raw.size();
    const std::string_view piece = raw.substr(start, end - start);
    if (!piece.empty()) {
      const auto eq = piece.find('=');
      const std::string_view key = piece.substr(0, eq);
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view{}
                                       : piece.substr(eq + 1);
      out.push_back({decode_with(key, policy), decode_with(value, policy)});
    }
    start = end + 1;
  }
  return out;
}

std::string decode_query_component(std::string_view raw, bad_utf8 policy) {
  return decode_with(raw, policy);
}

void decode_query_component(std::string_view raw, bad_utf8 policy,
                            std::string& out) {
  decode_with(out, raw, policy);
}

bool raw_key_equals(std::string_view raw_key, std::string_view key,
                    bool ignore_case, bad_utf8 policy) {
  const bool encoded = std::any_of(raw_key.begin(), raw_key.end(),
                                   [](char c) { return c == '%' || c == '+'; });
  if (!encoded) return ignore_case ? iequals(raw_key, key) : raw_key == key;
  const std::string decoded = decode_with(raw_key, policy);
  return ignore_case ? iequals(decoded, key) : decoded == key;
}

std::optional<std::string> find_query_value(std::string_view raw,
                                            std::string_view key,
                                            bool ignore_case,
                                            bad_utf8 policy) {
  std::string value;
  if (!find_query_value(raw, key, value, ignore_case, policy)) return {};
  return value;
}

bool find_query_value(std::string_view raw, std::string_view key,
                      std::string& out, bool ignore_case, bad_utf8 policy) {
  bool found = false;
  for_each_raw_param(raw, [&](std::string_view k, std::string_view v) {
    if (!raw_key_equals(k, key, ignore_case, policy)) return true;
    decode_with(out, v, policy);
    found = true;
    return false;
  });
  return found;
}

const std::string* find_param(const query_params& params, std::string_view key,
                              bool ignore_case) {
  for (const auto& p : params) {
    if (ignore_case ? iequals(p.key, key) : p.key == key) return &p.value;
  }
  return nullptr;
}

}  // namespace loopkit
