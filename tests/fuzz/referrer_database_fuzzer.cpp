// load_referrer_database on any text: it either loads everything or leaves
// the database as it was, and a loaded database classifies safely.
#include "fuzz_check.h"
#include "loopkit/referrer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using loopkit::fuzz::check;
  const std::string_view input = loopkit::fuzz::as_text(data, size);

  loopkit::referrer_database db;
  loopkit::referrer_database extended = loopkit::default_referrer_database();
  const std::size_t before = extended.size();
  const auto loaded = loopkit::load_referrer_database(input, db);
  const auto again = loopkit::load_referrer_database(input, extended);
  check(loaded.has_value() == again.has_value(), "loading is deterministic");
  if (!loaded) {
    check(db.size() == 0 && extended.size() == before,
          "a failed load changes nothing");
    check(!loaded.error().message.empty(), "a failure says why");
    return 0;
  }

  const loopkit::referrer_database copy = db;
  check(copy.size() == db.size(), "a copy has every entry");
  for (const char* ref :
       {"https://www.google.com/search?q=a", "https://a.b.example/x/y?q=1",
        "android-app://com.google.android.gm/", "http://[::1]/", "junk"}) {
    (void)loopkit::classify_referrer(ref, "shop.test", db);
    (void)loopkit::classify_referrer(ref, "shop.test", extended);
  }
  return 0;
}
