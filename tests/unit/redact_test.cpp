#include <catch2/catch.hpp>

#include <string>

#include "loopkit/redact.h"

using loopkit::redact_url_emails;

TEST_CASE("email-shaped text is recognised inside longer strings",
          "[redact]") {
  CHECK(loopkit::looks_like_email("jane@example.com"));
  CHECK(loopkit::looks_like_email("mail me: j.d+x@mail.example.co.uk!"));
  CHECK_FALSE(loopkit::looks_like_email("@handle"));
  CHECK_FALSE(loopkit::looks_like_email("user@localhost"));
  CHECK_FALSE(loopkit::looks_like_email("50% @ 3pm"));
  CHECK_FALSE(loopkit::looks_like_email("a@.com"));
}

TEST_CASE("an email in a query value is redacted, the rest kept", "[redact]") {
  CHECK(redact_url_emails(
            "https://s.test/thanks?email=jane%40x.com&plan=pro#top") ==
        "https://s.test/thanks?email=redacted&plan=pro#top");
  CHECK(redact_url_emails("https://s.test/?a=1&e=Jane@X.com&b") ==
        "https://s.test/?a=1&e=redacted&b");
  CHECK(redact_url_emails("https://s.test/#/signup?to=j%2Bx%40y.io&n=2") ==
        "https://s.test/#/signup?to=redacted&n=2");
}

TEST_CASE("a URL without an address is returned unchanged", "[redact]") {
  const std::string url = "https://s.test/p?utm_source=news&x=%zz&&y=#f";
  CHECK(redact_url_emails(url) == url);
  CHECK(redact_url_emails("https://s.test/?handle=@jane") ==
        "https://s.test/?handle=@jane");
  CHECK(redact_url_emails("").empty());
}

TEST_CASE("addresses anywhere in a URL are scrubbed", "[redact]") {
  CHECK(redact_url_emails("https://x.test/u/carol.path@example.org/p") ==
        "https://x.test/u/redacted/p");
  CHECK(redact_url_emails("https://s.test/u/enc.raw%40example.com/x") ==
        "https://s.test/u/redacted/x");
}

TEST_CASE("scrubbing replaces each address and keeps the rest", "[redact]") {
  CHECK(loopkit::scrub_emails("user:api.raw@example.com and b@c.io!") ==
        "user:redacted and redacted!");
  CHECK(loopkit::scrub_emails("no address @ all") == "no address @ all");
  CHECK(loopkit::looks_like_email("enc.raw%40example.com"));
}

TEST_CASE("addresses encoded twice, non-ASCII or typed with blanks around "
          "the at sign are redacted in query values",
          "[redact]") {
  CHECK(redact_url_emails("https://s.test/?e=jane%2540corp.example&n=1") ==
        "https://s.test/?e=redacted&n=1");
  CHECK(redact_url_emails(
            "https://s.test/?e=j%C3%A4ne@b%C3%BCcher.example&n=1") ==
        "https://s.test/?e=redacted&n=1");
  CHECK(redact_url_emails("https://s.test/?e=jane%20%40%20corp.example") ==
        "https://s.test/?e=redacted");
  // Blanks next to something that is no address stay as they are.
  CHECK(redact_url_emails("https://s.test/?t=50%25%20%40%203pm&n=1") ==
        "https://s.test/?t=50%25%20%40%203pm&n=1");
  CHECK(loopkit::looks_like_email("jäne@bücher.example"));
}

TEST_CASE("addresses in path segments are redacted however they are "
          "encoded, and three times encoded in the query",
          "[redact]") {
  CHECK(redact_url_emails("https://s.test/u/jane%2540corp.example/x") ==
        "https://s.test/u/redacted/x");
  CHECK(redact_url_emails(
            "https://s.test/u/j%C3%A4ne@b%C3%BCcher.example/x?a=1") ==
        "https://s.test/u/redacted/x?a=1");
  CHECK(redact_url_emails("https://s.test/u/jane%20%40%20corp.example/x") ==
        "https://s.test/u/redacted/x");
  CHECK(redact_url_emails("https://s.test/?e=jane%252540corp.example") ==
        "https://s.test/?e=redacted");
  // A path with an escaped percent and no address is kept as it is.
  CHECK(redact_url_emails("https://s.test/50%25/off?x=1") ==
        "https://s.test/50%25/off?x=1");
}
