// The view parser scans host, path, query and fragment sixteen bytes at a
// time where SSE2 is there, with the last block overlapping the one before
// it. These cases put each byte that matters at every offset around the
// block edges (15, 16, 17, 31, 32, ...) and check the parser against the
// full one: it accepts a URL exactly when the URL is already in the form
// parse_url gives, and then returns the same parts.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "loopkit/url.h"
#include "url_parse.h"

namespace {

// Bytes with a role somewhere in a URL: ends of parts, bytes to encode in
// one set but not another, controls, DEL and non-ASCII, and their
// neighbours that need nothing.
constexpr std::string_view probes =
    "\x01\x1F !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\x7F\x80\xC3\xFF";

// Checks the view parser against the full one on input; returns whether
// the view parser accepted it. It may leave a URL in serialized form to the
// full parser only when exact is false: it takes no host byte beyond
// letters, digits, '-', '.' and '_'.
bool agrees_with_full_parser(const std::string& input, bool exact = true) {
  loopkit::detail::url_parts parts;
  const bool viewed = loopkit::detail::parse_serialized_http_url(input, parts);
  const auto full = loopkit::detail::parse_url_full(input);
  bool already_serialized = false;
  if (full && !full->port) {
    const std::string href = loopkit::serialize(*full);
    // The view parser also takes "http://host" and "http://host?q", whose
    // empty path reads as "/".
    const std::size_t root = full->scheme.size() + 3 + full->host.size();
    already_serialized =
        href == input ||
        (full->path == "/" && href.substr(0, root) + href.substr(root + 1) ==
                                  input);
  }

  INFO(input);
  if (exact) {
    CHECK(viewed == already_serialized);
  } else {
    CHECK((!viewed || already_serialized));
  }
  if (viewed && full) {
    CHECK(parts.scheme == full->scheme);
    CHECK(parts.host == full->host);
    CHECK(parts.path == full->path);
    CHECK(parts.query == full->query);
    CHECK(parts.fragment == full->fragment);
    CHECK(parts.has_query == full->has_query);
    CHECK(parts.has_fragment == full->has_fragment);
  }
  return viewed;
}

}  // namespace

TEST_CASE("a byte to encode is found at every offset of a long query",
          "[url]") {
  int accepted = 0;
  int refused = 0;

  for (std::size_t at = 0; at <= 40; ++at) {
    for (const std::size_t after : {0, 1, 7, 16, 23}) {
      for (const char probe : probes) {
        const std::string input = "https://shop.test/p?" +
                                  std::string(at, 'a') + probe +
                                  std::string(after, 'b');
        (agrees_with_full_parser(input) ? accepted : refused) += 1;
      }
    }
  }

  CHECK(accepted > 1000);
  CHECK(refused > 1000);
}

TEST_CASE("a byte to encode is found at every offset of a fragment",
          "[url]") {
  for (std::size_t at = 0; at <= 40; ++at) {
    for (const std::size_t after : {0, 1, 16}) {
      for (const char probe : probes) {
        agrees_with_full_parser("https://shop.test/p?q=1#" +
                                std::string(at, 'f') + probe +
                                std::string(after, 'g'));
        agrees_with_full_parser("http://a.test/#" + std::string(at, 'f') +
                                probe + std::string(after, 'g'));
      }
    }
  }

  // Known answers on both sides of a block edge.
  loopkit::detail::url_parts parts;
  CHECK_FALSE(loopkit::detail::parse_serialized_http_url(
      "https://shop.test/#" + std::string(16, 'f') + "`", parts));
  REQUIRE(loopkit::detail::parse_serialized_http_url(
      "https://shop.test/?" + std::string(16, 'q') + "#" + std::string(15, 'f'),
      parts));
  CHECK(parts.query == std::string(16, 'q'));
  CHECK(parts.fragment == std::string(15, 'f'));
}

TEST_CASE("a path byte that ends the path or needs rewriting is found at "
          "every offset",
          "[url]") {
  int accepted = 0;

  for (std::size_t at = 0; at <= 40; ++at) {
    for (const std::size_t after : {0, 1, 16, 40}) {
      for (const char probe : probes) {
        const std::string input = "https://shop.test/" +
                                  std::string(at, 'p') + probe +
                                  std::string(after, 'x');
        if (agrees_with_full_parser(input)) ++accepted;
      }
      // Dot segments whose '/' falls around a block edge.
      for (const char* dots : {"/.", "/..", "/%2e", "/.%2E/", "/./", "/.a"}) {
        agrees_with_full_parser("https://shop.test/" + std::string(at, 'p') +
                                dots + std::string(after, 'x'));
      }
    }
  }

  CHECK(accepted > 1000);
}

TEST_CASE("a host byte that is no plain host byte is found at every offset",
          "[url]") {
  int accepted = 0;

  for (std::size_t at = 1; at <= 40; ++at) {
    for (const char probe : probes) {
      for (const char* tail : {"", ".test", ".test/", "x.test/p?q=1"}) {
        const std::string input =
            "http://" + std::string(at, 'h') + probe + tail;
        const bool plain = (probe >= 'a' && probe <= 'z') ||
                           (probe >= '0' && probe <= '9') || probe == '-' ||
                           probe == '_' || probe == '/';
        if (agrees_with_full_parser(input, plain)) ++accepted;
      }
    }
  }

  CHECK(accepted > 200);
}

TEST_CASE("the scheme is read in any case, and nothing else passes for it",
          "[url]") {
  loopkit::detail::url_parts parts;

  REQUIRE(loopkit::detail::parse_serialized_http_url("HtTpS://a.test/",
                                                     parts));
  CHECK(parts.scheme == "https");
  REQUIRE(loopkit::detail::parse_serialized_http_url("hTTP://a.test/", parts));
  CHECK(parts.scheme == "http");
  // Setting bit 5 of these bytes gives the letters of "https", but they are
  // none of them.
  for (const char* input : {"\x08ttps://a.test/", "h\x14tps://a.test/",
                            "htt\x10://a.test/", "http\x13://a.test/",
                            "http:\x0F/a.test/", "https:/\x0F" "a.test/",
                            "http:/", "https://", "http://"}) {
    INFO(input);
    CHECK_FALSE(loopkit::detail::parse_serialized_http_url(input, parts));
  }
}
