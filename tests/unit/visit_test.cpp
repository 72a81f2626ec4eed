#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "loopkit/json_api.h"
#include "loopkit/visit.h"

using loopkit::inspect_visit;
using nlohmann::json;

TEST_CASE("a page view is inspected into campaign, referrer and channel",
          "[visit]") {
  const auto v = inspect_visit(
      "https://shop.test/p?utm_source=Facebook&utm_medium=paid_social"
      "&utm_campaign=spring&fbclid=IwAR3",
      "https://l.facebook.com/l.php?u=x", "");

  REQUIRE(v);  // read below
  CHECK(v->campaign.name == "spring");
  CHECK(v->campaign.click_id_type == "fbclid");
  CHECK(v->referrer.medium == loopkit::referrer_medium::social);
  CHECK(v->source.source == "Facebook");
  CHECK(v->source.medium == "paid_social");
  CHECK(v->channel == "Paid Social");
  CHECK_FALSE(v->bot);
}

TEST_CASE("an inspected visit has one JSON form", "[visit]") {
  const auto v = inspect_visit("https://shop.test/?gclid=abc", "", "");
  REQUIRE(v);

  CHECK(loopkit::to_json(*v) == json::parse(R"({
          "campaign": {"source": "", "medium": "", "campaign": "", "term": "",
                       "content": "", "id": "", "click_id": "abc",
                       "click_id_type": "gclid", "discount_code": ""},
          "referrer": {"medium": "direct", "source": "", "term": "",
                       "host": ""},
          "source": "google", "medium": "cpc", "channel": "Paid Search",
          "bot": false})"));
}

TEST_CASE("a page URL that does not parse cannot be inspected", "[visit]") {
  const auto v = inspect_visit("shop.test/?gclid=abc", "", "");

  REQUIRE_FALSE(v);
  CHECK(v.error() == loopkit::url_error::no_scheme);
}

TEST_CASE("inspect_visit in JSON reports rules and URL errors as data",
          "[visit]") {
  const json ok = json::parse(loopkit::json_api::inspect_visit(
      "https://shop.test/", "https://chatgpt.com/", "",
      R"({"prepend": [{"channel": "AI",
          "all": [{"field": "referrer", "equals": "chatbot"}]}]})"));
  const json bad_rules = json::parse(loopkit::json_api::inspect_visit(
      "https://shop.test/", "", "", R"({"prepend": [{}]})"));
  const json bad_url =
      json::parse(loopkit::json_api::inspect_visit("nope", "", "", ""));

  CHECK(ok["ok"] == true);
  CHECK(ok["visit"]["channel"] == "AI");
  CHECK(bad_rules == json::parse(R"({"ok": false, "error": {
      "path": "/prepend/0/channel",
      "message": "channel rules: is required"}})"));
  CHECK(bad_url == json::parse(R"({"ok": false, "error": {
      "path": "", "message": "page URL does not parse: no_scheme"}})"));
}

TEST_CASE("a crawler's user agent marks the visit as a bot", "[visit]") {
  const auto crawler = inspect_visit("https://shop.test/", "",
                                     "Mozilla/5.0 (compatible; Googlebot/2.1; "
                                     "+http://www.google.com/bot.html)");
  const auto nobody = inspect_visit("https://shop.test/", "", "");

  REQUIRE(crawler);
  REQUIRE(nobody);
  CHECK(crawler->bot);
  CHECK_FALSE(nobody->bot);
}

TEST_CASE("a URL that needs rewriting is inspected as its rewritten form",
          "[visit]") {
  const auto plain = inspect_visit(
      "https://shop.test/p?utm_source=News&utm_medium=email",
      "https://www.google.fr/imgres?q=logo", "");
  const auto rewritten = inspect_visit(
      " HTTPS://SHOP.test/./p?utm_source=News&utm_medium=email ",
      "https://WWW.Google.FR./imgres?q=logo", "");

  REQUIRE(plain);  // read below
  REQUIRE(rewritten);
  CHECK(loopkit::to_json(*rewritten) == loopkit::to_json(*plain));
  CHECK(rewritten->referrer.source == "Google Images");
  CHECK(rewritten->referrer.host == "www.google.fr");
  CHECK(rewritten->channel == "Email");
}

TEST_CASE("a campaign in the page URL's fragment sets source and channel",
          "[visit]") {
  const auto v = inspect_visit(
      "https://app.test/#/signup?utm_source=newsletter&utm_medium=email",
      "https://www.google.com/", "");

  REQUIRE(v);  // read below
  CHECK(v->campaign.source == "newsletter");
  CHECK(v->source.origin == loopkit::source_origin::utm);
  CHECK(v->channel == "Email");
}

TEST_CASE("a report reused from view to view keeps nothing of the last one",
          "[visit]") {
  // Each view sets fields the next one lacks: a decoded campaign and a
  // search term, then a discount code and a referral, then nothing.
  const std::pair<const char*, const char*> views[] = {
      {"https://shop.test/p?utm_source=news&utm_medium=email"
       "&utm_campaign=PMax%20%2F%2F%20UK%20%2F%2F%20Lifestyle%20Shoes"
       "&gclid=Cj0KCQiAlongclickidlongclickidlongclickidlongclickid",
       "https://www.google.com/search?q=caf%C3%A9+paris"},
      {"https://shop.test/?coupon=SPRING5#top", "https://blog.example.org/a"},
      {"https://shop.test/", ""},
      {"https://shop.test/?msclkid=abc", "https://www.bing.com/search?q=x"},
  };
  loopkit::visit_report report;
  for (const auto& [page, referrer] : views) {
    INFO(page << " from " << referrer);
    REQUIRE_FALSE(inspect_visit(page, referrer, "", report));
    const auto fresh = inspect_visit(page, referrer, "");
    REQUIRE(fresh);
    CHECK(loopkit::to_json(report) == loopkit::to_json(*fresh));
  }
  CHECK(report.channel == "Paid Search");
  CHECK(report.campaign.click_id == "abc");
  CHECK(report.referrer.term == "x");
}

TEST_CASE("a page URL that does not parse leaves a reused report as it was",
          "[visit]") {
  loopkit::visit_report report;
  REQUIRE_FALSE(inspect_visit("https://shop.test/?utm_source=a", "", "",
                              report));

  CHECK(inspect_visit("shop.test/?gclid=abc", "", "", report) ==
        loopkit::url_error::no_scheme);
  CHECK(report.campaign.source == "a");
  CHECK(report.campaign.click_id.empty());
}
