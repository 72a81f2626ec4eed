// The source category table's index: keys compared eight bytes at a time
// in either case, and hosts and brands found at label boundaries only.
#include <catch2/catch.hpp>

#include <string>

#include "loopkit/source_category.h"

using loopkit::categorize_source;
using loopkit::source_category;

TEST_CASE("a source in any case finds its category", "[source_category]") {
  CHECK(categorize_source("IG") == source_category::social);
  CHECK(categorize_source("Fb") == source_category::social);
  CHECK(categorize_source("YouTube") == source_category::video);
  CHECK(categorize_source("GOOGLE SHOPPING") == source_category::shopping);
  CHECK(categorize_source("NEWS.YCOMBINATOR.COM") == source_category::social);
  CHECK(categorize_source("WWW.EBAY.CO.UK") == source_category::shopping);
  CHECK(categorize_source("L.FaceBook.COM") == source_category::social);
  CHECK(categorize_source("Search.Yahoo.com") == source_category::search);
  CHECK(categorize_source("WWW.Bing.com") == source_category::search);
  CHECK(categorize_source("ANSWERS.yahoo.com") == source_category::none);
}

TEST_CASE("only A to Z fold to lower case", "[source_category]") {
  // Each differs from a key only in bit 0x20 or the high bit of a byte.
  CHECK(categorize_source("\xC7oogle") == source_category::none);
  CHECK(categorize_source("goo\xC7le") == source_category::none);
  CHECK(categorize_source("[elp") == source_category::none);
  CHECK(categorize_source("\x13" "60.cn") == source_category::none);
  CHECK(categorize_source("360.cn") == source_category::search);
  CHECK(categorize_source("t\x0E" "co") == source_category::none);
  CHECK(categorize_source(std::string("google\0shopping", 15)) ==
        source_category::none);
  CHECK(categorize_source("GOOGLE\x80SHOPPING") == source_category::none);
}

TEST_CASE("near misses of a key find nothing", "[source_category]") {
  CHECK(categorize_source("yelq") == source_category::none);
  CHECK(categorize_source("twitcx") == source_category::none);
  CHECK(categorize_source("googl") == source_category::none);
  CHECK(categorize_source("googlee") == source_category::none);
  CHECK(categorize_source("google shoppinf") == source_category::none);
  CHECK(categorize_source("news.ycombinator.coM") == source_category::social);
  CHECK(categorize_source("news.ycombinator.cox") == source_category::none);
  CHECK(categorize_source("i") == source_category::none);
  CHECK(categorize_source("x") == source_category::none);
}

TEST_CASE("hosts and brands match at label boundaries only",
          "[source_category]") {
  CHECK(categorize_source("t.co") == source_category::social);
  CHECK(categorize_source("xt.co") == source_category::none);
  CHECK(categorize_source("a.t.co") == source_category::social);
  CHECK(categorize_source("t.me") == source_category::social);
  CHECK(categorize_source("at.me") == source_category::none);
  CHECK(categorize_source("notreddit.com") == source_category::none);
  CHECK(categorize_source("reddit.com") == source_category::social);
  CHECK(categorize_source("ebay.co.uk.example") == source_category::none);
  CHECK(categorize_source("ebay..com") == source_category::none);
  CHECK(categorize_source(".ebay.com") == source_category::shopping);
  CHECK(categorize_source("ebay.com..") == source_category::none);
}

TEST_CASE("a final dot ends a brand's suffix", "[source_category]") {
  CHECK(categorize_source("ebay.com.") == source_category::shopping);
  CHECK(categorize_source("www.ebay.co.uk.") == source_category::shopping);
  CHECK(categorize_source("www.bing.com.") == source_category::search);
  CHECK(categorize_source("answers.yahoo.com.") == source_category::none);
  CHECK(categorize_source("ebay.co.uk.de.") == source_category::none);
}
