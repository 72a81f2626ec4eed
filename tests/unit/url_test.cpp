#include <catch2/catch.hpp>

#include <string>

#include "loopkit/url.h"

using loopkit::parse_url;
using loopkit::url_error;

TEST_CASE("a URL splits into its parts", "[url]") {
  const auto u = parse_url("https://Shop.Example:8443/a/b?x=1&y=2#top");

  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->host == "shop.example");
  CHECK(u->port == 8443);
  CHECK(u->path == "/a/b");
  CHECK(u->query == "x=1&y=2");
  CHECK(u->fragment == "top");
}

TEST_CASE("default ports are elided and an empty path becomes /", "[url]") {
  const auto u = parse_url("HTTP://example.com:80");

  REQUIRE(u);
  CHECK(u->scheme == "http");
  CHECK_FALSE(u->port.has_value());
  CHECK(u->path == "/");
  CHECK_FALSE(u->has_query);
}

TEST_CASE("user info is dropped", "[url]") {
  const auto u = parse_url("https://user:secret@example.com/x");

  REQUIRE(u);
  CHECK(u->host == "example.com");
  CHECK(u->path == "/x");
}

TEST_CASE("whitespace, tabs and backslashes are handled as browsers do",
          "[url]") {
  const auto u = parse_url("  \thttps:\\\\exa\nmple.com\\a\\b \n");

  REQUIRE(u);
  CHECK(u->host == "example.com");
  CHECK(u->path == "/a/b");
}

TEST_CASE("dot segments are removed from the path", "[url]") {
  CHECK(parse_url("https://e.com/a/./b/../c")->path == "/a/c");
  CHECK(parse_url("https://e.com/a/%2e%2E/b/")->path == "/b/");
  CHECK(parse_url("https://e.com/../../x")->path == "/x");
}

TEST_CASE("a fragment ends the query even inside a campaign value", "[url]") {
  const auto u = parse_url("https://e.com/?utm_campaign=spring#launch&x=1");

  REQUIRE(u);
  CHECK(u->query == "utm_campaign=spring");
  CHECK(u->fragment == "launch&x=1");
}

TEST_CASE("IPv6 hosts keep their brackets", "[url]") {
  const auto u = parse_url("http://[::1]:8080/");

  REQUIRE(u);
  CHECK(u->host == "[::1]");
  CHECK(u->port == 8080);
}

TEST_CASE("non-special schemes keep their host or opaque path", "[url]") {
  const auto app = parse_url("android-app://com.google.android.gm/");
  REQUIRE(app);
  CHECK(app->host == "com.google.android.gm");

  const auto mail = parse_url("mailto:sales@example.com");
  REQUIRE(mail);
  CHECK(mail->host.empty());
  CHECK(mail->path == "sales@example.com");
}

TEST_CASE("malformed URLs give a named error", "[url]") {
  CHECK(parse_url("").error() == url_error::empty);
  CHECK(parse_url("   ").error() == url_error::empty);
  CHECK(parse_url("www.example.com/path").error() == url_error::no_scheme);
  CHECK(parse_url("/relative?x=1").error() == url_error::no_scheme);
  CHECK(parse_url("https://").error() == url_error::no_host);
  CHECK(parse_url("https://:80/").error() == url_error::no_host);
  CHECK(parse_url("https:///example.com/x")->host == "example.com");
  CHECK(parse_url("https://exa mple.com/").error() == url_error::bad_host);
  CHECK(parse_url("https://e.com:99999/").error() == url_error::bad_port);
  CHECK(parse_url("https://e.com:8a/").error() == url_error::bad_port);
  CHECK(parse_url("https://[::1/").error() == url_error::bad_host);
  CHECK(parse_url("https://e.com/" + std::string(20000, 'a')).error() ==
        url_error::too_long);
  CHECK(std::string(loopkit::to_string(url_error::bad_port)) == "bad_port");
}

TEST_CASE("hostile text in a URL parses without harm", "[url]") {
  const auto u =
      parse_url("https://e.com/?utm_source=<script>alert(1)</script>");

  REQUIRE(u);
  CHECK(u->query == "utm_source=<script>alert(1)</script>");
  CHECK(parse_url("https://<script>/").error() == url_error::bad_host);
}
