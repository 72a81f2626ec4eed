// Query strings split and decoded the way browsers do for
// application/x-www-form-urlencoded data
// (https://url.spec.whatwg.org/#urlencoded-parsing).
#pragma once

#include <cstdint>
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

}  // namespace loopkit
