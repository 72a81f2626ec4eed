// classify_referrer with the built-in database on any referrer and page
// host (input: "referrer\npage host"). Results are UTF-8, and only a
// direct visit has an empty source.
#include "fuzz_check.h"
#include "loopkit/json_api.h"
#include "loopkit/referrer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using loopkit::fuzz::check;
  using loopkit::fuzz::is_utf8;
  const auto [referrer, page_host] =
      loopkit::fuzz::split_line(loopkit::fuzz::as_text(data, size));

  loopkit::referrer_options internal;
  internal.internal_hosts = {"shop.test", std::string(page_host)};
  for (const auto& options : {loopkit::referrer_options{}, internal}) {
    const auto info = loopkit::classify_referrer(
        referrer, page_host, loopkit::default_referrer_database(), options);
    check(is_utf8(info.source) && is_utf8(info.term) && is_utf8(info.host),
          "results are UTF-8");
    check(info.term.size() <= 256, "the term is bounded");
    check((info.medium == loopkit::referrer_medium::direct) ==
              info.source.empty(),
          "only direct visits have no source");
  }
  (void)loopkit::json_api::classify_referrer(referrer, page_host);
  return 0;
}
