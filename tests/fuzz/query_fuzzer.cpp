// parse_query and percent_decode on any bytes: never a crash, and every key
// and value comes out as valid UTF-8 under both policies.
#include "fuzz_check.h"
#include "loopkit/json_api.h"
#include "loopkit/query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using loopkit::fuzz::check;
  using loopkit::fuzz::is_utf8;
  const std::string_view input = loopkit::fuzz::as_text(data, size);

  for (const auto policy :
       {loopkit::bad_utf8::replace, loopkit::bad_utf8::keep_raw}) {
    for (const auto& p : loopkit::parse_query(input, policy)) {
      check(is_utf8(p.key) && is_utf8(p.value), "pairs are UTF-8");
      check(!p.key.empty() || !p.value.empty() ||
                input.find("=") != std::string_view::npos,
            "an empty pair needs an '='");
    }
  }
  check(is_utf8(loopkit::percent_decode(input, true)), "decoded is UTF-8");
  check(is_utf8(loopkit::percent_decode(input, false)), "decoded is UTF-8");
  (void)loopkit::json_api::parse_query(input);
  return 0;
}
