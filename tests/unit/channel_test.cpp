#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "test_data.h"
#include "loopkit/campaign.h"
#include "loopkit/channel.h"
#include "loopkit/referrer.h"
#include "loopkit/url.h"

using loopkit::testing::load_test_data;

using loopkit::channel_input;
using loopkit::classify_channel;
using loopkit::load_channel_rules;

namespace {

channel_input input(std::string_view source, std::string_view medium,
                    std::string_view campaign = {}) {
  channel_input in;
  in.source = source;
  in.medium = medium;
  in.campaign = campaign;
  return in;
}

// A visit as the tracker sees it: landing URL and referrer on shop.test.
struct visit {
  loopkit::campaign campaign;
  loopkit::referrer_info referrer;
  loopkit::visit_source source;

  visit(const std::string& page, const std::string& referrer_url) {
    const auto url = loopkit::parse_url(page);
    REQUIRE(url);  // the tables hold valid page URLs
    campaign = loopkit::extract_campaign(*url);
    referrer = loopkit::classify_referrer(referrer_url, url->host);
    source = loopkit::derive_source(campaign, referrer);
  }

  std::string channel(const loopkit::channel_rules& rules =
                          loopkit::default_channel_rules()) const {
    return classify_channel(
        loopkit::make_channel_input(campaign, referrer, source), rules);
  }
};

}  // namespace

TEST_CASE("source, medium and campaign group as channels.json says",
          "[channel]") {
  const auto rows = load_test_data("channels.json");
  REQUIRE(rows.size() > 40);

  for (const auto& row : rows) {
    if (row.is_string()) continue;  // a comment
    const std::string source = row["source"], medium = row["medium"],
                      campaign = row["campaign"];

    const auto channel = classify_channel(input(source, medium, campaign));

    INFO(source << " / " << medium << " / " << campaign);
    CHECK(channel == row["channel"].get<std::string>());
  }
}

TEST_CASE("every GA4 default channel is reachable", "[channel]") {
  CHECK(classify_channel(input("(direct)", "(none)")) == "Direct");
  CHECK(classify_channel(input("a", "b", "x-cross-network")) ==
        "Cross-network");
  CHECK(classify_channel(input("etsy", "ppc")) == "Paid Shopping");
  CHECK(classify_channel(input("bing", "cpc")) == "Paid Search");
  CHECK(classify_channel(input("instagram", "paid")) == "Paid Social");
  CHECK(classify_channel(input("twitch", "cpc")) == "Paid Video");
  CHECK(classify_channel(input("a", "interstitial")) == "Display");
  CHECK(classify_channel(input("a", "cpa")) == "Paid Other");
  CHECK(classify_channel(input("walmart.com", "referral")) ==
        "Organic Shopping");
  CHECK(classify_channel(input("reddit", "referral")) == "Organic Social");
  CHECK(classify_channel(input("dailymotion", "referral")) == "Organic Video");
  CHECK(classify_channel(input("baidu", "organic")) == "Organic Search");
  CHECK(classify_channel(input("example.com", "referral")) == "Referral");
  CHECK(classify_channel(input("a", "email")) == "Email");
  CHECK(classify_channel(input("a", "affiliate")) == "Affiliates");
  CHECK(classify_channel(input("a", "audio")) == "Audio");
  CHECK(classify_channel(input("a", "sms")) == "SMS");
  CHECK(classify_channel(input("a", "push")) == "Mobile Push Notifications");
  CHECK(classify_channel(input("a", "b")) == "Unassigned");
}

TEST_CASE(
    "landing page and referrer give the source, medium and channel in "
    "visit_sources.json",
    "[channel]") {
  const auto rows = load_test_data("visit_sources.json");
  REQUIRE(rows.size() > 20);

  for (const auto& row : rows) {
    if (row.is_string()) continue;
    const visit v(row["page"], row["referrer"]);

    INFO(row["page"] << " from " << row["referrer"]);
    CHECK(v.source.source == row["source"].get<std::string>());
    CHECK(v.source.medium == row["medium"].get<std::string>());
    CHECK(v.channel() == row["channel"].get<std::string>());
  }
}

TEST_CASE("a source names where it came from", "[channel]") {
  CHECK(visit("https://shop.test/?utm_source=x", "").source.origin ==
        loopkit::source_origin::utm);
  CHECK(visit("https://shop.test/?gclid=1", "").source.origin ==
        loopkit::source_origin::click_id);
  CHECK(visit("https://shop.test/", "https://t.co/").source.origin ==
        loopkit::source_origin::referrer);
  CHECK(visit("https://shop.test/", "").source.origin ==
        loopkit::source_origin::direct);
}

TEST_CASE("a referrer's social class stands in for a source our table lacks",
          "[channel]") {
  auto in = input("mastodon.example", "referral");
  in.referrer = loopkit::referrer_medium::social;

  CHECK(classify_channel(in) == "Referral");  // a tagged source: no stand-in
  in.source_from_referrer = true;
  CHECK(classify_channel(in) == "Organic Social");
}

TEST_CASE("a given category replaces the table lookup", "[channel]") {
  auto in = input("alibaba", "");
  CHECK(classify_channel(in) == "Organic Shopping");

  in.category = loopkit::source_category::none;
  CHECK(classify_channel(in) == "Unassigned");
}

TEST_CASE("prepended rules run before the default", "[channel]") {
  const auto rules = load_channel_rules(R"({"prepend": [
    {"channel": "AI Assistants",
     "all": [{"field": "referrer", "equals": "chatbot"}]}]})");
  REQUIRE(rules);

  CHECK(visit("https://shop.test/", "https://chatgpt.com/").channel(*rules) ==
        "AI Assistants");
  CHECK(
      visit("https://shop.test/", "https://www.google.com/").channel(*rules) ==
      "Organic Search");
}

TEST_CASE("appended rules see only what the default leaves unassigned",
          "[channel]") {
  const auto rules = load_channel_rules(R"({"append": [
    {"channel": "Partners",
     "all": [{"field": "medium", "one_of": ["Partner", "partnership"]}]},
    {"channel": "Everything else"}]})");
  REQUIRE(rules);

  CHECK(classify_channel(input("acme", "partnership"), *rules) == "Partners");
  CHECK(classify_channel(input("acme", "PARTNER"), *rules) == "Partners");
  CHECK(classify_channel(input("acme", "email"), *rules) == "Email");
  CHECK(classify_channel(input("acme", "zzz"), *rules) == "Everything else");
}

TEST_CASE("replacing rules drops the default", "[channel]") {
  const auto rules = load_channel_rules(R"({"replace": [
    {"channel": "Search",
     "any": [{"field": "source_category", "equals": "search"},
             {"field": "medium", "equals": "organic"}]},
    {"channel": "Newsletter",
     "all": [{"field": "source", "regex": "^news(letter)?\\d*$"},
             {"field": "campaign", "exists": true}]}]})");
  REQUIRE(rules);

  CHECK(classify_channel(input("google", "cpc"), *rules) == "Search");
  CHECK(classify_channel(input("x", "organic"), *rules) == "Search");
  CHECK(classify_channel(input("newsletter2", "email", "may"), *rules) ==
        "Newsletter");
  CHECK(classify_channel(input("newsletter2", "email"), *rules) ==
        "Unassigned");
  CHECK(classify_channel(input("(direct)", "(none)"), *rules) == "Unassigned");
}

TEST_CASE("conditions test click ids, prefixes, suffixes and negations",
          "[channel]") {
  const auto rules = load_channel_rules(R"({"prepend": [
    {"channel": "Google Ads",
     "all": [{"field": "click_id", "equals": "gclid"},
             {"field": "campaign", "prefix": "brand", "not": true}]},
    {"channel": "Brand", "all": [{"field": "campaign", "prefix": "brand"}]},
    {"channel": "Regional",
     "all": [{"field": "source", "suffix": ".de"},
             {"field": "click_id", "exists": false}]},
    {"channel": "Webinar", "all": [{"field": "campaign", "contains": "webinar"}]}
  ]})");
  REQUIRE(rules);
  auto ads = input("google", "cpc", "summer");
  ads.click_id_type = "gclid";
  auto brand = ads;
  brand.campaign = "Brand-2024";

  CHECK(classify_channel(ads, *rules) == "Google Ads");
  CHECK(classify_channel(brand, *rules) == "Brand");
  CHECK(classify_channel(input("news.DE", "referral"), *rules) == "Regional");
  CHECK(classify_channel(input("x", "y", "Q3 Webinar"), *rules) == "Webinar");
}

TEST_CASE("channel rules that do not validate are refused with a JSON path",
          "[channel]") {
  const auto rows = load_test_data("channel_rule_errors.json");
  REQUIRE(rows.size() > 15);

  for (const auto& row : rows) {
    if (row.is_string()) continue;
    const std::string text = row["rules"];

    const auto rules = load_channel_rules(text);

    INFO(text);
    REQUIRE_FALSE(rules);  // error() is read below
    CHECK(rules.error().path == row["path"].get<std::string>());
    CHECK(rules.error().message == row["message"].get<std::string>());
  }
}

TEST_CASE("an empty rules object keeps the default", "[channel]") {
  const auto rules = load_channel_rules("{}");

  REQUIRE(rules);
  CHECK(rules->use_default);
  CHECK(classify_channel(input("google", "organic"), *rules) ==
        "Organic Search");
}
