#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "loopkit/url.h"
#include "url_parse.h"

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
  CHECK(parse_url("https://[::1/").error() == url_error::bad_ipv6);
  CHECK(parse_url("https://e.com/" + std::string(20000, 'a')).error() ==
        url_error::too_long);
  CHECK(std::string(loopkit::to_string(url_error::bad_port)) == "bad_port");
}

TEST_CASE("hostile text in a URL comes out percent-encoded", "[url]") {
  const auto u =
      parse_url("https://e.com/?utm_source=<script>alert(1)</script>");

  REQUIRE(u);
  CHECK(u->query == "utm_source=%3Cscript%3Ealert(1)%3C/script%3E");
  CHECK(parse_url("https://<script>/").error() == url_error::bad_host);
}

TEST_CASE("IPv4 hosts in every spelling browsers accept become dotted decimal",
          "[url]") {
  CHECK(parse_url("http://0x7f.1/")->host == "127.0.0.1");
  CHECK(parse_url("http://192.0x00A80001")->host == "192.168.0.1");
  CHECK(parse_url("http://2130706433/")->host == "127.0.0.1");
  CHECK(parse_url("http://0177.0.0.1./")->host == "127.0.0.1");
  CHECK(parse_url("http://0x7f.0.0.0x7g/")->host == "0x7f.0.0.0x7g");
}

TEST_CASE("a host that ends in a number but is no IPv4 address fails",
          "[url]") {
  CHECK(parse_url("http://256.0.0.1/").error() == url_error::bad_ipv4);
  CHECK(parse_url("http://4294967296/").error() == url_error::bad_ipv4);
  CHECK(parse_url("http://1.2.3.4.5/").error() == url_error::bad_ipv4);
  CHECK(parse_url("http://foo.09/").error() == url_error::bad_ipv4);
  CHECK(parse_url("http://foo.0x/").error() == url_error::bad_ipv4);
  CHECK(parse_url("http://0x" + std::string(30, 'f')).error() ==
        url_error::bad_ipv4);
}

TEST_CASE("IPv6 hosts are compressed and lower-cased", "[url]") {
  CHECK(parse_url("http://[0:0:0:0:0:0:0:1]/")->host == "[::1]");
  CHECK(parse_url("http://[2001:DB8:0:0:1:0:0:1]/")->host ==
        "[2001:db8::1:0:0:1]");
  CHECK(parse_url("http://[::ffff:192.168.0.1]/")->host ==
        "[::ffff:c0a8:1]");
  CHECK(parse_url("http://[0:1:0:1:0:1:0:1]/")->host == "[0:1:0:1:0:1:0:1]");
  CHECK(parse_url("http://[1::2::3]/").error() == url_error::bad_ipv6);
  CHECK(parse_url("http://[::1.2.3]/").error() == url_error::bad_ipv6);
  CHECK(parse_url("http://[www.example.com]/").error() ==
        url_error::bad_ipv6);
}

TEST_CASE("path, query and fragment are percent-encoded as browsers do",
          "[url]") {
  const auto u = parse_url(
      "https://e.com/a b/caf\xC3\xA9{x}?q='1 2'&r=%zz#f`g h");

  REQUIRE(u);
  CHECK(u->path == "/a%20b/caf%C3%A9%7Bx%7D");
  CHECK(u->query == "q=%271%202%27&r=%zz");
  CHECK(u->fragment == "f%60g%20h");
  CHECK(parse_url("sc://h/?'")->query == "'");  // only special URLs encode '
}

TEST_CASE("percent-encoded hosts are decoded, forbidden code points fail",
          "[url]") {
  CHECK(parse_url("http://EXAMPLE%2Ecom/")->host == "example.com");
  CHECK(parse_url("http://ho%2Fst/").error() == url_error::bad_host);
  CHECK(parse_url("http://a%b/").error() == url_error::bad_host);
  CHECK(parse_url("http://a^b/").error() == url_error::bad_host);
  CHECK(parse_url("http://example.com%80/").error() == url_error::bad_host);
}

TEST_CASE("the port follows the first colon, user info the last at sign",
          "[url]") {
  CHECK(parse_url("http://a:b:c/").error() == url_error::bad_port);
  CHECK(parse_url("http://a@b@c/")->host == "c");
  CHECK(parse_url("http://user@/x").error() == url_error::no_host);
  CHECK(parse_url("http://e.com:000080/")->port == std::nullopt);
  CHECK(parse_url("http://e.com:-80/").error() == url_error::bad_port);
}

TEST_CASE("international domain names become Punycode", "[url]") {
  CHECK(parse_url("http://b\xC3\xBC" "cher.de/")->host == "xn--bcher-kva.de");
  CHECK(parse_url("https://%e2%98%83/")->host == "xn--n3h");
  CHECK(parse_url("https://a%C2%ADb/")->host == "ab");  // soft hyphen
  CHECK(parse_url("https://\xEF\xBF\xBD/").error() == url_error::bad_host);
}

TEST_CASE("file URLs keep drive letters and drop localhost", "[url]") {
  CHECK(parse_url("file:///C:/x/../..")->path == "/C:/");
  CHECK(parse_url("file:c|/x")->path == "/c:/x");
  const auto local = parse_url("file://LOCALHOST/etc/hosts");
  REQUIRE(local);
  CHECK(local->host.empty());
  CHECK(local->path == "/etc/hosts");
}

TEST_CASE("serialize gives the href without user info", "[url]") {
  const auto u = parse_url("HTTP://me:pw@Example.COM:80/a/../b?x#y");
  REQUIRE(u);
  CHECK(serialize(*u) == "http://example.com/b?x#y");
  CHECK(serialize(*parse_url("https://e.com?#")) == "https://e.com/?#");
  CHECK(serialize(*parse_url("sc:/.//p")) == "sc:/.//p");
  CHECK(serialize(*parse_url("sc://Host:1")) == "sc://Host:1");
  CHECK(serialize(*parse_url("mailto:a@b")) == "mailto:a@b");
}

namespace {

// Page and referrer URLs built from pieces chosen to sit on both sides of
// every condition of the fast path: odd scheme spellings, ports, user
// info, IPv4-looking and trailing-dot hosts, dot segments in all
// spellings, backslashes, tabs, spaces, non-ASCII bytes and characters
// that need encoding.
std::string generated_url(std::uint64_t& state) {
  const auto next = [&state](std::size_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>((state >> 33) % n);
  };
  const auto pick = [&next](const auto& list) { return list[next(list.size())]; };

  static constexpr std::array<std::string_view, 9> schemes = {
      "https://", "http://", "HTTPS://", "hTtP://", "https:///", "ftp://",
      "http:\\\\", " https://", "https:"};
  static constexpr std::array<std::string_view, 16> hosts = {
      "www.shop-example.com", "Blog.Example.ORG", "a_b.test", "1.2.3.4",
      "foo.0x10", "foo.09", "0x7f.1", "example.com.", "e.com:8080",
      "user:pw@e.com", "xn--bcher-kva.de", "e%2Ecom", "b\xC3\xBC" "cher.de",
      "[::1]", "", "a..b.c2"};
  static constexpr std::array<std::string_view, 18> pieces = {
      "/", "/a", "/products", "/.", "/..", "/%2e", "/.%2E", "/%2e%2e", "/a.b",
      "/.hidden", "/\\x", "/a b", "/{x}", "/caf\xC3\xA9", "/\t", "//",
      "/%zz", "/^`\"<>"};
  static constexpr std::array<std::string_view, 10> tails = {
      "", "?", "?a=1&b=2", "?q=a b&c='d'", "#", "#top", "?x#y", "?a\nb",
      "#frag ment`", "?utm_source=news&utm_campaign=caf%C3%A9\x7F"};

  std::string out(pick(schemes));
  out += pick(hosts);
  for (std::size_t n = next(4); n > 0; --n) out += pick(pieces);
  out += pick(tails);
  if (next(20) == 0) out += ' ';
  return out;
}

}  // namespace

TEST_CASE("the fast path for plain http URLs agrees with the full parser",
          "[url]") {
  std::uint64_t state = 42;
  int fast = 0;

  for (int n = 0; n < 20000; ++n) {
    const std::string input = generated_url(state);
    loopkit::url quick;
    if (!loopkit::detail::parse_plain_http_url(input, quick)) continue;
    ++fast;
    const auto full = loopkit::detail::parse_url_full(input);

    INFO(input);
    REQUIRE(full);  // dereferenced below
    CHECK(quick.scheme == full->scheme);
    CHECK(quick.host == full->host);
    CHECK(quick.port == full->port);
    CHECK(quick.path == full->path);
    CHECK(quick.query == full->query);
    CHECK(quick.fragment == full->fragment);
    CHECK(quick.has_host == full->has_host);
    CHECK(quick.has_query == full->has_query);
    CHECK(quick.has_fragment == full->has_fragment);
  }

  // Both sides of the comparison must be exercised.
  CHECK(fast > 1000);
  CHECK(fast < 19000);
}

TEST_CASE("URLs already in serialized form are read as views of the input",
          "[url]") {
  const std::string input =
      "https://www.shop.test/a/b?utm_source=x&q=caf%C3%A9#/p?x=1";
  loopkit::detail::url_parts parts;

  REQUIRE(loopkit::detail::parse_serialized_http_url(input, parts));
  CHECK(parts.host == "www.shop.test");
  CHECK(parts.path == "/a/b");
  CHECK(parts.query == "utm_source=x&q=caf%C3%A9");
  CHECK(parts.fragment == "/p?x=1");
  CHECK(parts.query.data() == input.data() + 26);  // a view, not a copy
}

TEST_CASE("the view parser leaves every rewrite to parse_url", "[url]") {
  loopkit::detail::url_parts parts;
  // Each of these needs a byte encoded, a segment removed, a '\\' turned
  // into '/', a host lower-cased or a port dropped.
  for (const char* input :
       {"https://shop.test/a\\b", "https://shop.test/a^b",
        "https://shop.test/{x}", "https://shop.test/a b",
        "https://shop.test/a/../b", "https://shop.test/%2E/b",
        "https://shop.test/.", "https://Shop.test/", "https://shop.test:443/",
        "https://shop.test/caf\xC3\xA9"}) {
    INFO(input);
    CHECK_FALSE(loopkit::detail::parse_serialized_http_url(input, parts));
  }

  // The path ends at the first '?' or '#': what follows is no path byte.
  REQUIRE(loopkit::detail::parse_serialized_http_url(
      "https://shop.test/a/b?c\\d^#e^f\\", parts));
  CHECK(parts.path == "/a/b");
  CHECK(parts.query == "c\\d^");
  CHECK(parts.fragment == "e^f\\");
  REQUIRE(loopkit::detail::parse_serialized_http_url("http://shop.test",
                                                     parts));
  CHECK(parts.path == "/");
  CHECK(parts.scheme == "http");
}

TEST_CASE("URLs that need rewriting are parsed into the storage", "[url]") {
  loopkit::url storage;

  const auto parts = loopkit::detail::parse_url_parts(
      "HTTPS://Shop.Test/a b?x=<y>", storage);

  REQUIRE(parts);
  CHECK(parts->host == "shop.test");
  CHECK(parts->path == "/a%20b");
  CHECK(parts->query == "x=%3Cy%3E");
  CHECK(parts->host.data() == storage.host.data());
}

TEST_CASE("the view parser agrees with the full parser", "[url]") {
  std::uint64_t state = 7;
  int viewed = 0;

  for (int n = 0; n < 20000; ++n) {
    const std::string input = generated_url(state);
    loopkit::detail::url_parts parts;
    if (!loopkit::detail::parse_serialized_http_url(input, parts)) continue;
    ++viewed;
    const auto full = loopkit::detail::parse_url_full(input);

    INFO(input);
    REQUIRE(full);  // dereferenced below
    CHECK(parts.scheme == full->scheme);
    CHECK(parts.host == full->host);
    CHECK_FALSE(full->port.has_value());
    CHECK(parts.path == full->path);
    CHECK(parts.query == full->query);
    CHECK(parts.fragment == full->fragment);
    CHECK(full->has_host);
    CHECK(parts.has_query == full->has_query);
    CHECK(parts.has_fragment == full->has_fragment);
  }

  // Both sides of the comparison must be exercised.
  CHECK(viewed > 300);
  CHECK(viewed < 19000);
}
