#include <catch2/catch.hpp>

#include <string>

#include "loopkit/query.h"

using loopkit::parse_query;
using loopkit::query_params;

namespace {

std::string joined(const query_params& params) {
  std::string out;
  for (const auto& p : params) out += "[" + p.key + "=" + p.value + "]";
  return out;
}

}  // namespace

TEST_CASE("a query splits into ordered, decoded pairs", "[query]") {
  CHECK(joined(parse_query("?a=1&b=two%20words&c=x+y")) ==
        "[a=1][b=two words][c=x y]");
}

TEST_CASE("a plus is a space but an encoded plus is a plus", "[query]") {
  CHECK(joined(parse_query("s=Android+App&t=1%2B1")) ==
        "[s=Android App][t=1+1]");
  CHECK(joined(parse_query("++=++")) == "[  =  ]");
}

TEST_CASE("values are decoded exactly once", "[query]") {
  CHECK(joined(parse_query("utm_source=no%2520code&c=10%25off")) ==
        "[utm_source=no%20code][c=10%off]");
}

TEST_CASE("a bad percent escape stays literal and keeps the other keys",
          "[query]") {
  CHECK(joined(parse_query("utm_term=foo%zar&utm_source=x")) ==
        "[utm_term=foo%zar][utm_source=x]");
  CHECK(joined(parse_query("a=%zz&b=%&c=%4")) == "[a=%zz][b=%][c=%4]");
  CHECK(joined(parse_query("a=1&b=%")) == "[a=1][b=%]");
}

TEST_CASE("empty pieces are dropped and a bare key gets an empty value",
          "[query]") {
  CHECK(joined(parse_query("&&a&=x&b=&&")) == "[a=][=x][b=]");
  CHECK(parse_query("").empty());
  CHECK(parse_query("?").empty());
}

TEST_CASE("a repeated key keeps every value in order", "[query]") {
  const auto params = parse_query("k=first&k=second");
  REQUIRE(params.size() == 2);
  CHECK(*loopkit::find_param(params, "k") == "first");
}

TEST_CASE("campaign keys can be found without regard to case", "[query]") {
  const auto params = parse_query("UTM_SOURCE=Partner&Utm_Medium=Email");
  REQUIRE(loopkit::find_param(params, "utm_source", true) != nullptr);
  CHECK(*loopkit::find_param(params, "utm_source", true) == "Partner");
  CHECK(*loopkit::find_param(params, "utm_medium", true) == "Email");
  CHECK(loopkit::find_param(params, "utm_source") == nullptr);
}

TEST_CASE("non-ASCII text survives and bad bytes become U+FFFD", "[query]") {
  CHECK(joined(parse_query("q=%E2%82%AC+caf\xC3\xA9")) ==
        "[q=\xE2\x82\xAC caf\xC3\xA9]");
  CHECK(joined(parse_query("q=%E9&r=ok")) == "[q=\xEF\xBF\xBD][r=ok]");
}

TEST_CASE("markup in values is kept as text, not interpreted", "[query]") {
  CHECK(joined(parse_query("utm_source=%3Cscript%3Ealert(1)%3C/script%3E")) ==
        "[utm_source=<script>alert(1)</script>]");
}

TEST_CASE("a 10 kB value is read whole", "[query]") {
  const std::string big(10 * 1024, 'v');
  const auto params = parse_query("a=" + big + "&b=1");
  REQUIRE(params.size() == 2);
  CHECK(params[0].value.size() == big.size());
  CHECK(params[1].value == "1");
}

TEST_CASE("a value that decodes to bad UTF-8 can keep its raw text",
          "[query]") {
  // "%ba" is a valid escape of a byte that is not UTF-8 on its own.
  CHECK(joined(parse_query("t=foo%bar&u=1")) == "[t=foo\xEF\xBF\xBDr][u=1]");
  CHECK(joined(parse_query("t=foo%bar&u=a+b", loopkit::bad_utf8::keep_raw)) ==
        "[t=foo%bar][u=a b]");
  CHECK(joined(parse_query("t=caf%E9+x", loopkit::bad_utf8::keep_raw)) ==
        "[t=caf%E9+x]");
}

TEST_CASE("decoding into a kept string replaces what it held", "[query]") {
  using loopkit::bad_utf8;
  std::string out = "a longer text that was there before, past SSO size";

  loopkit::decode_query_component("caf%C3%A9+paris", bad_utf8::replace, out);
  CHECK(out == "caf\xC3\xA9 paris");
  loopkit::decode_query_component("", bad_utf8::replace, out);
  CHECK(out.empty());
  // Bytes that are not UTF-8: the raw text, or U+FFFD, as the policy says.
  loopkit::decode_query_component("foo%bar", bad_utf8::keep_raw, out);
  CHECK(out == "foo%bar");
  loopkit::decode_query_component("foo%bar", bad_utf8::replace, out);
  CHECK(out == "foo\xEF\xBF\xBDr");
}

TEST_CASE("a value found into a kept string; a missing key leaves it",
          "[query]") {
  std::string out = "before";

  CHECK_FALSE(loopkit::find_query_value("q=a&b=2", "c", out));
  CHECK(out == "before");
  CHECK(loopkit::find_query_value("q=red+shoes&b=2", "q", out));
  CHECK(out == "red shoes");
  CHECK(loopkit::find_query_value("Q=x", "q", out, true));
  CHECK(out == "x");
}
