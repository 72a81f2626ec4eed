#include <catch2/catch.hpp>

#include "loopkit/source_category.h"

using loopkit::categorize_source;
using loopkit::source_category;

TEST_CASE("names, hosts and brands find their category", "[source_category]") {
  CHECK(categorize_source("google") == source_category::search);
  CHECK(categorize_source("Google Shopping") == source_category::shopping);
  CHECK(categorize_source("IGShopping") == source_category::shopping);
  CHECK(categorize_source("t.co") == source_category::social);
  CHECK(categorize_source("l.facebook.com") == source_category::social);
  CHECK(categorize_source("old.reddit.com") == source_category::social);
  CHECK(categorize_source("www.ebay.co.uk") == source_category::shopping);
  CHECK(categorize_source("m.alibaba.com") == source_category::shopping);
  CHECK(categorize_source("shopping.yahoo.co.jp") == source_category::shopping);
  CHECK(categorize_source("yahoo.co.jp") == source_category::search);
  CHECK(categorize_source("m.youtube.com") == source_category::video);
  CHECK(categorize_source("twitch.tv") == source_category::video);
}

TEST_CASE("a Google product's host is not a search", "[source_category]") {
  CHECK(categorize_source("google.com") == source_category::none);
  CHECK(categorize_source("docs.google.com") == source_category::none);
  CHECK(categorize_source("plus.google.com") == source_category::social);
}

TEST_CASE("a brand needs a short suffix right after it", "[source_category]") {
  CHECK(categorize_source("ebay.example.org") == source_category::none);
  CHECK(categorize_source("myebay.com") == source_category::none);
  CHECK(categorize_source("t.co.evil.example") == source_category::none);
  CHECK(categorize_source("newsletter") == source_category::none);
  CHECK(categorize_source("") == source_category::none);
  CHECK(categorize_source(std::string(500, 'a')) == source_category::none);
}

TEST_CASE("categories read back from their names", "[source_category]") {
  CHECK(loopkit::parse_source_category("video") == source_category::video);
  CHECK_FALSE(loopkit::parse_source_category("Video"));
}
