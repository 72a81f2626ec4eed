// parse_tracker_config on any text; a tracker built from an accepted config
// runs a short visit, and its saved state restores.
#include "fuzz_check.h"
#include "loopkit/tracker.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using loopkit::fuzz::check;
  const auto config =
      loopkit::parse_tracker_config(loopkit::fuzz::as_text(data, size));
  if (!config) {
    check(!config.error().message.empty(), "a failure says why");
    return 0;
  }

  loopkit::tracker t(*config, 1, 2);
  t.page_view("https://shop.test/pricing?utm_source=news&discount=SPRING",
              "https://www.google.com/search?q=crm", "Pricing", 1000);
  (void)t.record("cta_click", "", {{"cta", "demo"}}, 2000);
  (void)t.record("lead", "", {{"email", "a@b.test"}}, 3000);
  (void)t.fill_values();
  const std::string state = t.state_json();

  loopkit::tracker restored(*config, 3, 4);
  check(restored.restore(state), "a saved state restores");
  check(restored.state_json() == state, "a restored state is the same");
  return 0;
}
