// is_bot on any bytes: never a crash, and the answer does not depend on
// ASCII case or surrounding whitespace.
#include "fuzz_check.h"
#include "loopkit/bot.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view input = loopkit::fuzz::as_text(data, size);

  const bool bot = loopkit::is_bot(input);
  std::string upper(input);
  for (auto& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  loopkit::fuzz::check(loopkit::is_bot(upper) == bot, "case does not matter");
  loopkit::fuzz::check(loopkit::is_bot(" " + std::string(input) + "\t") == bot,
                       "surrounding whitespace does not matter");
  return 0;
}
