// Query strings split and decoded the way browsers do for
// application/x-www-form-urlencoded data
// (https://url.spec.whatwg.org/#urlencoded-parsing).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loopkit {

struct query_param {
  std::string key;
  std::string value;
};

using query_params = std::vector<query_param>;

// What to do with a value whose decoded bytes are not UTF-8.
enum class bad_utf8 : std::uint8_t {
  replace,   // U+FFFD for each bad sequence, as browsers do
  keep_raw,  // the undecoded text: "foo%bar" stays "foo%bar", not "foo\uFFFDr"
};

// Splits "a=1&b=2" into ordered pairs; a leading '?' is skipped. '+' is a
// space and a bad '%' escape ("%zz", a lone '%') stays as literal text.
// Empty pieces between '&' are dropped; a key without '=' gets an empty
// value. Never fails.
query_params parse_query(std::string_view raw,
                         bad_utf8 policy = bad_utf8::replace);

// Percent-decodes once. With plus_as_space, '+' becomes ' '. Bad escapes are
// kept literally; the output is valid UTF-8.
std::string percent_decode(std::string_view s, bool plus_as_space);

// The first value of key, or nullptr. Campaign keys are matched without
// regard to ASCII case ("UTM_SOURCE" is "utm_source").
const std::string* find_param(const query_params& params, std::string_view key,
                              bool ignore_case = false);

// parse_query without the copies, for callers that want a few keys out of
// a long query: calls visit(key, value) for each piece as written, still
// encoded, in order, until visit returns false. Empty pieces are skipped and
// a key without '=' has an empty value, as in parse_query.
template <class Visit>
void for_each_raw_param(std::string_view raw, Visit&& visit) {
  if (!raw.empty() && raw.front() == '?') raw.remove_prefix(1);
  while (!raw.empty()) {
    const auto amp = raw.find('&');
    const std::string_view piece = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{}
                                        : raw.substr(amp + 1);
    if (piece.empty()) continue;
    const auto eq = piece.find('=');
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : piece.substr(eq + 1);
    if (!visit(piece.substr(0, eq), value)) return;
  }
}

// One key or value decoded exactly as parse_query decodes it.
std::string decode_query_component(std::string_view raw,
                                   bad_utf8 policy = bad_utf8::replace);

// The same into out, replacing what it held; its capacity is reused, so a
// caller that keeps out allocates nothing once it has grown. raw must not
// view out's own text.
void decode_query_component(std::string_view raw, bad_utf8 policy,
                            std::string& out);

// True when a raw key (for_each_raw_param) decodes to key. Only a key with
// '%' or '+' in it is decoded, so the common case allocates nothing.
bool raw_key_equals(std::string_view raw_key, std::string_view key,
                    bool ignore_case = false,
                    bad_utf8 policy = bad_utf8::replace);

// The decoded first value of key in a raw query, as
// find_param(parse_query(raw), key) would give it, without decoding the
// rest: ("q=a&b=2", "b") -> "2".
std::optional<std::string> find_query_value(std::string_view raw,
                                            std::string_view key,
                                            bool ignore_case = false,
                                            bad_utf8 policy = bad_utf8::replace);

// The same into out, which is left as it was when the key is missing;
// returns whether it was found.
bool find_query_value(std::string_view raw, std::string_view key,
                      std::string& out, bool ignore_case = false,
                      bad_utf8 policy = bad_utf8::replace);

}  // namespace loopkit
