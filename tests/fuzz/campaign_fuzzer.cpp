// Campaign extraction from any query text, directly and through a landing
// URL: values stay bounded and valid UTF-8, the one-pass scan of a URL's
// query reads what the pair-by-pair reading does, and a report reused
// from input to input holds what a fresh one does.
#include "fuzz_check.h"
#include "loopkit/campaign.h"
#include "loopkit/json_api.h"
#include "loopkit/visit.h"

namespace {

void check_campaign(const loopkit::campaign& c) {
  using loopkit::fuzz::check;
  for (const std::string* v :
       {&c.source, &c.medium, &c.name, &c.term, &c.content, &c.id,
        &c.click_id, &c.discount_code}) {
    check(v->size() <= loopkit::max_campaign_value, "values are bounded");
    check(loopkit::fuzz::is_utf8(*v), "values are UTF-8");
  }
  check(c.click_id.empty() == c.click_id_type.empty(),
        "a click id comes with its type");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view input = loopkit::fuzz::as_text(data, size);

  check_campaign(loopkit::extract_campaign(
      loopkit::parse_query(input, loopkit::bad_utf8::keep_raw)));
  const std::string page = "https://shop.test/?" + std::string(input);
  if (const auto u = loopkit::parse_url(page)) {
    const loopkit::campaign c = loopkit::extract_campaign(*u);
    check_campaign(c);
    if (!u->has_fragment) {
      loopkit::fuzz::check(
          c == loopkit::extract_campaign(
                   loopkit::parse_query(u->query, loopkit::bad_utf8::keep_raw)),
          "the scan agrees with the pairs");
    }
  }
  // The same text as the referrer's query too, so the report's referrer
  // fields change from input to input.
  static loopkit::visit_report kept;
  const std::string referrer = "https://www.google.com/search?" + std::string(input);
  const auto fresh = loopkit::inspect_visit(page, referrer, "");
  const auto error = loopkit::inspect_visit(page, referrer, "", kept);
  loopkit::fuzz::check(fresh.has_value() == !error, "both fail alike");
  if (fresh) {
    loopkit::fuzz::check(loopkit::to_json(*fresh) == loopkit::to_json(kept),
                         "a reused report holds what a fresh one does");
  }
  (void)loopkit::json_api::extract_campaign(input);
  return 0;
}
