// decode_batch on any request body: never a crash, and an accepted event
// encodes to JSON that decodes to the same event.
#include "fuzz_check.h"
#include "loopkit/event.h"
#include "loopkit/json_api.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using loopkit::fuzz::check;
  const std::string_view input = loopkit::fuzz::as_text(data, size);

  (void)loopkit::json_api::decode_batch(input);
  const auto events = loopkit::decode_batch(input);
  if (!events) {
    check(!events.error().message.empty(), "a failure says why");
    return 0;
  }
  check(events->size() <= loopkit::max_batch_events, "batches are bounded");
  for (const auto& e : *events) {
    const nlohmann::json first = loopkit::to_json(e);
    const auto again = loopkit::decode_event(first);
    check(again.has_value(), "an encoded event decodes");
    check(loopkit::dump(loopkit::to_json(*again)) == loopkit::dump(first),
          "decoding an encoded event changes nothing");
  }
  return 0;
}
