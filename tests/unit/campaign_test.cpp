#include <catch2/catch.hpp>

#include <string>

#include "loopkit/campaign.h"
#include "loopkit/url.h"

namespace {

loopkit::campaign from(const std::string& page,
                       const loopkit::campaign_options& options = {}) {
  const auto u = loopkit::parse_url(page);
  REQUIRE(u);  // the fixtures are valid URLs
  return loopkit::extract_campaign(*u, options);
}

}  // namespace

TEST_CASE("all six UTM parameters are read", "[campaign]") {
  const auto c = from(
      "https://shop.test/?utm_source=newsletter&utm_medium=email&utm_campaign="
      "spring_launch&utm_term=crm+tool&utm_content=hero&utm_id=42");

  CHECK(c.source == "newsletter");
  CHECK(c.medium == "email");
  CHECK(c.name == "spring_launch");
  CHECK(c.term == "crm tool");
  CHECK(c.content == "hero");
  CHECK(c.id == "42");
  CHECK_FALSE(c.empty());
}

TEST_CASE("real-world encodings of a campaign value come out right",
          "[campaign]") {
  CHECK(from("https://s.test/?utm_source=Android%20App").source ==
        "Android App");
  CHECK(from("https://s.test/?utm_source=Android+App").source ==
        "Android App");
  CHECK(from("https://s.test/?utm_source=a%2Bb").source == "a+b");
  CHECK(from("https://s.test/?utm_campaign=10%25off").name == "10%off");
  CHECK(from("https://s.test/?utm_source=no%2520code").source ==
        "no%20code");
}

TEST_CASE("a bad escape keeps the raw text and every other key",
          "[campaign]") {
  const auto c = from(
      "https://s.test/?utm_term=foo%bar&utm_source=news&utm_medium=%");

  CHECK(c.term == "foo%bar");
  CHECK(c.source == "news");
  CHECK(c.medium == "%");
}

TEST_CASE("Latin-1 bytes never lose the other keys", "[campaign]") {
  const auto c = from("https://s.test/?utm_source=caf%E9&utm_medium=cpc");

  CHECK(c.source == "caf%E9");
  CHECK(c.medium == "cpc");
}

TEST_CASE("keys match without regard to case, values keep theirs",
          "[campaign]") {
  const auto c = from("https://s.test/?UTM_SOURCE=Partner&Utm_Medium=Email");

  CHECK(c.source == "Partner");
  CHECK(c.medium == "Email");
}

TEST_CASE("the first of a repeated key wins", "[campaign]") {
  CHECK(from("https://s.test/?utm_source=a&utm_source=b").source == "a");
}

TEST_CASE("an unencoded # ends the campaign value", "[campaign]") {
  CHECK(from("https://s.test/?utm_campaign=spring#sale").name == "spring");
}

TEST_CASE("click ids are read, gclid first", "[campaign]") {
  const auto fb = from("https://s.test/?fbclid=IwAR0x");
  CHECK(fb.click_id_type == "fbclid");
  CHECK(fb.click_id == "IwAR0x");
  CHECK_FALSE(fb.empty());

  const auto both = from("https://s.test/?fbclid=F&msclkid=M&gclid=G");
  CHECK(both.click_id_type == "gclid");
  CHECK(both.click_id == "G");
}

TEST_CASE("discount codes come from the configured parameters", "[campaign]") {
  CHECK(from("https://s.test/?discount=SPRING20").discount_code == "SPRING20");
  CHECK(from("https://s.test/?promo=P1&coupon=C1").discount_code == "C1");
  CHECK(from("https://s.test/?discount=SPRING20").empty());

  loopkit::campaign_options options;
  options.discount_params = {"voucher"};
  CHECK(from("https://s.test/?voucher=V9&discount=D", options).discount_code ==
        "V9");
}

TEST_CASE("values are trimmed and bounded", "[campaign]") {
  const auto c = from("https://s.test/?utm_source=+news+&utm_term=" +
                      std::string(10 * 1024, 'x'));

  CHECK(c.source == "news");
  CHECK(c.term.size() == loopkit::max_campaign_value);
}

TEST_CASE("hostile markup is kept as inert text", "[campaign]") {
  CHECK(from("https://s.test/?utm_source=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            .source == "<script>alert(1)</script>");
}

TEST_CASE("a page without parameters has no campaign", "[campaign]") {
  CHECK(from("https://s.test/pricing").empty());
}

TEST_CASE("a single-page app's route in the fragment carries the campaign",
          "[campaign]") {
  const auto c = from("https://x.test/#/signup?utm_source=a&utm_medium=b");

  CHECK(c.source == "a");
  CHECK(c.medium == "b");
  CHECK_FALSE(c.empty());
}

TEST_CASE("a fragment of parameters alone carries the campaign",
          "[campaign]") {
  const auto c = from("https://x.test/#utm_source=a");

  CHECK(c.source == "a");
  CHECK(c.medium.empty());
}

TEST_CASE("fragment keys match without regard to case, values keep theirs",
          "[campaign]") {
  const auto c = from("https://x.test/#/p?UTM_Source=Partner&utm_MEDIUM=Email");

  CHECK(c.source == "Partner");
  CHECK(c.medium == "Email");
}

TEST_CASE("the first of a repeated fragment key wins", "[campaign]") {
  CHECK(from("https://x.test/#utm_source=a&utm_source=b").source == "a");
}

TEST_CASE("a fragment value is decoded exactly once", "[campaign]") {
  const auto c = from(
      "https://x.test/#/p?utm_source=no%2520code&utm_campaign=spring+sale");

  CHECK(c.source == "no%20code");
  CHECK(c.name == "spring sale");
}

TEST_CASE("a bad escape in the fragment keeps every other key",
          "[campaign]") {
  const auto c =
      from("https://x.test/#/p?utm_term=foo%bar&utm_source=news&utm_medium=%");

  CHECK(c.term == "foo%bar");
  CHECK(c.source == "news");
  CHECK(c.medium == "%");
}

TEST_CASE("any UTM parameter or click id in the query wins over the fragment",
          "[campaign]") {
  const auto tagged =
      from("https://x.test/?utm_medium=email#/p?utm_source=a&utm_campaign=c");
  CHECK(tagged.medium == "email");
  CHECK(tagged.source.empty());
  CHECK(tagged.name.empty());

  const auto clicked = from("https://x.test/?gclid=G#utm_source=a");
  CHECK(clicked.click_id == "G");
  CHECK(clicked.source.empty());

  const auto empty_tag = from("https://x.test/?utm_source=#utm_source=a");
  CHECK(empty_tag.source.empty());
}

TEST_CASE("other query parameters leave the fragment's campaign in place",
          "[campaign]") {
  const auto c = from("https://x.test/?ref=nav&x=1#/p?utm_source=a");

  CHECK(c.source == "a");
}

TEST_CASE("a discount code in the query wins over one in the fragment",
          "[campaign]") {
  const auto both = from("https://x.test/?promo=Q1#/p?utm_source=a&promo=F1");
  CHECK(both.source == "a");
  CHECK(both.discount_code == "Q1");

  CHECK(from("https://x.test/#/p?utm_source=a&coupon=F1").discount_code ==
        "F1");
}

TEST_CASE("a fragment without parameters gives no campaign", "[campaign]") {
  CHECK(from("https://x.test/pricing#reviews").empty());
  CHECK(from("https://x.test/#/signup").empty());
}

TEST_CASE("long discount key lists read the fragment the same way",
          "[campaign]") {
  loopkit::campaign_options options;
  options.discount_params = {"d1", "d2", "d3", "d4", "d5",
                             "d6", "d7", "d8", "voucher"};

  const auto spa =
      from("https://x.test/?voucher=V#/p?utm_source=a&utm_medium=b", options);
  CHECK(spa.source == "a");
  CHECK(spa.medium == "b");
  CHECK(spa.discount_code == "V");

  const auto tagged =
      from("https://x.test/?utm_source=q#/p?utm_source=a", options);
  CHECK(tagged.source == "q");
}

TEST_CASE("the one-pass scan reads what the pair-by-pair reading reads",
          "[campaign]") {
  // The scan reads sixteen bytes a step where it can: put each key, value
  // and '&' at every offset around a block's end, in every case and
  // encoding, and compare with extract_campaign over parse_query's pairs.
  const std::string keys[] = {"utm_source", "UTM_Source", "utm%5Fsource",
                              "utm_medium", "Utm_Medium", "utm_campaign",
                              "gclid",      "GCLID",      "fbclid",
                              "msclkid",    "utm_id",     "discount",
                              "Voucher",    "vOUCHER",    "coupon",
                              "",           "utm_term",   "utm_content"};
  const std::string values[] = {"a",        "Android+App", "10%25off",
                                "caf%C3%A9", "%E9t%E9",    "foo%bar",
                                "",          "x=y",        "%2B1"};
  loopkit::campaign_options options;
  options.discount_params = {"voucher", "Discount", ""};

  int compared = 0;
  const auto compare = [&](const std::string& query) {
    const auto fast = from("https://s.test/l?" + query, options);
    const auto pairs = loopkit::extract_campaign(
        loopkit::parse_query(query, loopkit::bad_utf8::keep_raw), options);
    INFO(query);
    CHECK(fast == pairs);
    ++compared;
  };
  for (std::size_t pad = 0; pad < 34; ++pad) {
    for (std::size_t k = 0; k < std::size(keys); ++k) {
      const std::string& value = values[(pad + k) % std::size(values)];
      const std::string next = keys[(k + 5) % std::size(keys)];
      const std::string query = "p=" + std::string(pad, 'v') + "&" +
                                keys[k] + "=" + value + "&" + next + "=" +
                                std::string(pad % 17, 'w') + "&" + keys[k] +
                                "=second";
      compare(query);
    }
  }
  CHECK(compared == 34 * 18);
  // Keys without '=', empty pieces and keys longer than a block, at every
  // offset: the scan splits a block into key, value and the next piece.
  const std::string pieces[] = {"", "gclid", "&", "utm_source",
                                "a_key_longer_than_one_block_of_sixteen",
                                "utm_medium=x&"};
  for (std::size_t pad = 0; pad < 34; ++pad) {
    for (std::size_t i = 0; i < std::size(pieces); ++i) {
      const std::string query = std::string(pad % 19, 'k') + "=" +
                                std::string(pad, 'v') + "&" + pieces[i] +
                                "&utm_source=s" + std::string(pad % 7, 's') +
                                "&" + pieces[(i + 1) % std::size(pieces)] +
                                "=" + std::string(pad % 23, 'w');
      compare(query);
    }
  }
  CHECK(compared == 34 * 18 + 34 * 6);
  // One of them, by value: the mixed-case discount key matches the
  // configured one, and the first of the repeated key wins.
  CHECK(from("https://s.test/?vOUCHER=V1&voucher=V2", options).discount_code ==
        "V1");
  CHECK(from("https://s.test/?=E", options).discount_code == "E");
}
