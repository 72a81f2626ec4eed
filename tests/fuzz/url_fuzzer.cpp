// parse_url on any bytes: it never crashes, and a URL it returns serializes
// to ASCII text that parses back to the same URL
// (https://url.spec.whatwg.org/#url-serializing is idempotent).
#include "fuzz_check.h"
#include "loopkit/json_api.h"
#include "loopkit/url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  using loopkit::fuzz::check;
  const std::string_view input = loopkit::fuzz::as_text(data, size);

  (void)loopkit::json_api::parse_url(input);
  const auto u = loopkit::parse_url(input);
  if (!u) return 0;

  const std::string href = loopkit::serialize(*u);
  for (const char c : href) {
    // Opaque paths keep their spaces ("sc:a b"); nothing else is left raw.
    check(static_cast<unsigned char>(c) >= 0x20 &&
              static_cast<unsigned char>(c) < 0x7F,
          "serialized URL is printable ASCII");
  }
  if (href.size() > loopkit::max_url_length) return 0;
  const auto again = loopkit::parse_url(href);
  check(again.has_value(), "a serialized URL parses");
  check(loopkit::serialize(*again) == href, "serializing is idempotent");
  check(again->host == u->host && again->path == u->path &&
            again->query == u->query && again->fragment == u->fragment &&
            again->port == u->port,
        "a reparsed URL has the same parts");
  return 0;
}
