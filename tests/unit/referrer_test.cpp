#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "test_data.h"
#include "loopkit/referrer.h"
#include "loopkit/url.h"

using loopkit::testing::load_test_data;

using loopkit::classify_referrer;
using loopkit::referrer_medium;

TEST_CASE("referrers classify as the table in referrers.json says",
          "[referrer]") {
  const auto rows = load_test_data("referrers.json");
  REQUIRE(rows.size() > 20);

  for (const auto& row : rows) {
    if (row.is_string()) continue;  // a comment
    const auto page = loopkit::parse_url(row["page"].get<std::string>());
    REQUIRE(page);
    const std::string ref = row["referrer"];

    const auto info = classify_referrer(ref, page->host);

    INFO("referrer: " << ref);
    CHECK(loopkit::to_string(info.medium) == row["medium"].get<std::string>());
    CHECK(info.source == row["source"].get<std::string>());
    CHECK(info.term == row["term"].get<std::string>());
  }
}

TEST_CASE("the built-in database loads and is not empty", "[referrer]") {
  CHECK(loopkit::default_referrer_database().size() > 150);
}

TEST_CASE("configured internal hosts cover their subdomains", "[referrer]") {
  loopkit::referrer_options options;
  options.internal_hosts = {"example.com", "checkout.pay.test"};

  CHECK(classify_referrer("https://app.example.com/x", "www.example.org",
                          loopkit::default_referrer_database(), options)
            .medium == referrer_medium::internal);
  CHECK(classify_referrer("https://checkout.pay.test/done", "shop.test",
                          loopkit::default_referrer_database(), options)
            .medium == referrer_medium::internal);
  CHECK(classify_referrer("https://notexample.com/", "www.example.org",
                          loopkit::default_referrer_database(), options)
            .medium == referrer_medium::referral);
}

TEST_CASE("a database in the referer-parser format extends the default",
          "[referrer]") {
  loopkit::referrer_database db;
  const auto ok = loopkit::load_referrer_database(R"({
    "search": {"Intranet Search": {"domains": ["search.corp.test",
                                               "corp.test/find"],
                                   "parameters": ["k", "q"]}},
    "email": {"Corp Mail": {"domains": ["mail.corp.test"]}}
  })", db);

  REQUIRE(ok);
  CHECK(db.size() == 3);
  const auto info =
      classify_referrer("https://search.corp.test/?q=b&k=a", "shop.test", db);
  CHECK(info.medium == referrer_medium::search);
  CHECK(info.source == "Intranet Search");
  CHECK(info.term == "a");
  CHECK(classify_referrer("https://www.corp.test/find/x", "shop.test", db)
            .source == "Intranet Search");
  CHECK(classify_referrer("https://www.corp.test/other", "shop.test", db)
            .medium == referrer_medium::referral);
}

TEST_CASE("a broken referrer database is rejected whole, with its path",
          "[referrer]") {
  loopkit::referrer_database db;

  const auto bad_json = loopkit::load_referrer_database("{", db);
  REQUIRE_FALSE(bad_json);
  CHECK(bad_json.error().message == "not valid JSON");

  const auto bad_medium = loopkit::load_referrer_database(
      R"({"search": {"A": {"domains": ["a.test"]}}, "pigeon": {}})", db);
  REQUIRE_FALSE(bad_medium);
  CHECK(bad_medium.error().path == "/pigeon");
  CHECK(db.size() == 0);

  const auto bad_domain = loopkit::load_referrer_database(
      R"({"social": {"B": {"domains": ["b.test", 7]}}})", db);
  REQUIRE_FALSE(bad_domain);
  CHECK(bad_domain.error().path == "/social/B/domains");
  CHECK(db.size() == 0);
}
