#include <catch2/catch.hpp>

#include "loopkit/text.h"

using loopkit::sanitize_utf8;
using loopkit::truncate_utf8;

TEST_CASE("valid UTF-8 passes through unchanged", "[text]") {
  CHECK(sanitize_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") ==
        "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST_CASE("each invalid UTF-8 sequence becomes one replacement character",
          "[text]") {
  CHECK(sanitize_utf8("a\xE9z") == "a\xEF\xBF\xBDz");           // Latin-1 é
  CHECK(sanitize_utf8("\xE2\x82") == "\xEF\xBF\xBD");             // cut short
  CHECK(sanitize_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  CHECK(sanitize_utf8("\xED\xA0\x80") ==
        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
}

TEST_CASE("is_valid_utf8 agrees with sanitize_utf8 leaving text unchanged",
          "[text]") {
  for (const std::string s : {"", "plain", "caf\xC3\xA9", "\xEF\xBF\xBD",
                              "a\xE9z", "\xE2\x82", "\xC0\xAF",
                              "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    INFO(s);
    CHECK(loopkit::is_valid_utf8(s) == (sanitize_utf8(s) == s));
  }
}

TEST_CASE("truncation never splits a character", "[text]") {
  CHECK(truncate_utf8("ab\xC3\xA9", 3) == "ab");
  CHECK(truncate_utf8("ab\xC3\xA9", 4) == "ab\xC3\xA9");
  CHECK(truncate_utf8("abc", 0).empty());
}

TEST_CASE("case folding and trimming are ASCII only", "[text]") {
  CHECK(loopkit::ascii_lower("MiXeD \xC3\x89") == "mixed \xC3\x89");
  CHECK(loopkit::iequals("UTM_Source", "utm_source"));
  CHECK_FALSE(loopkit::iequals("utm_source", "utm_sourc"));
  CHECK(loopkit::trim(" \t x y \n") == "x y");
}
