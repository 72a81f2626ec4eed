// The referrer database's index: hashes computed from the end of a host,
// parent domains found at label boundaries only, and path entries winning
// over hosts, most specific first.
#include <catch2/catch.hpp>

#include <string>

#include "loopkit/referrer.h"
#include "referrer_data.h"

using loopkit::referrer_database;
using loopkit::referrer_medium;
using loopkit::detail::referrer_key_hash;

namespace {

referrer_database::entry named(std::string source) {
  return {referrer_medium::social, std::move(source), {}};
}

// The source found for host and path, or "-" when none is.
std::string source_of(const referrer_database& db, std::string_view host,
                      std::string_view path = "/") {
  const auto* e = db.find(host, path);
  return e != nullptr ? e->source : "-";
}

}  // namespace

TEST_CASE("hosts whose hashes are equal are still told apart", "[referrer]") {
  // Found by a birthday search over random names: equal 32-bit hashes.
  REQUIRE(referrer_key_hash("vznfofkw.test") ==
          referrer_key_hash("gomqdfkh.test"));
  referrer_database db;
  db.add("vznfofkw.test", named("First"));

  CHECK(source_of(db, "vznfofkw.test") == "First");
  CHECK(source_of(db, "gomqdfkh.test") == "-");
  CHECK(source_of(db, "www.gomqdfkh.test") == "-");

  db.add("gomqdfkh.test", named("Second"));

  CHECK(source_of(db, "vznfofkw.test") == "First");
  CHECK(source_of(db, "gomqdfkh.test") == "Second");
  CHECK(source_of(db, "www.gomqdfkh.test") == "Second");
  CHECK(db.size() == 2);
}

TEST_CASE("a host and a host with a path whose hashes are equal are told "
          "apart",
          "[referrer]") {
  REQUIRE(referrer_key_hash("paths.test/wguguyw") ==
          referrer_key_hash("cpozvwad.test"));
  referrer_database db;
  db.add("paths.test/wguguyw", named("Path"));

  CHECK(source_of(db, "cpozvwad.test", "/wguguyw") == "-");
  CHECK(source_of(db, "paths.test", "/wguguyw") == "Path");
  CHECK(source_of(db, "paths.test", "/") == "-");

  db.add("cpozvwad.test", named("Host"));

  CHECK(source_of(db, "cpozvwad.test") == "Host");
  CHECK(source_of(db, "www.paths.test", "/wguguyw/x") == "Path");
}

TEST_CASE("a parent domain matches only at a label boundary", "[referrer]") {
  referrer_database db;
  db.add("b.test", named("B"));

  CHECK(source_of(db, "b.test") == "B");
  CHECK(source_of(db, "a.b.test") == "B");
  CHECK(source_of(db, "x.y.a.b.test") == "B");
  CHECK(source_of(db, "ab.test") == "-");
  CHECK(source_of(db, "a-b.test") == "-");
  CHECK(source_of(db, "test") == "-");
  CHECK(source_of(db, "b.test.evil") == "-");
  CHECK(source_of(db, ".b.test") == "B");
  CHECK(source_of(db, "") == "-");

  const auto& builtin = loopkit::default_referrer_database();
  CHECK(source_of(builtin, "www.google.com") == "Google");
  CHECK(source_of(builtin, "notgoogle.com") == "-");
  CHECK(source_of(builtin, "google.com.evil.test") == "-");
}

TEST_CASE("a path entry up the chain beats a host, the most specific first",
          "[referrer]") {
  referrer_database db;
  db.add("corp.test", named("Corp"));
  db.add("corp.test/find", named("Find"));
  db.add("a.corp.test", named("A"));
  db.add("a.corp.test/find/deep", named("Deep"));

  CHECK(source_of(db, "x.a.corp.test", "/find/deep/er") == "Deep");
  CHECK(source_of(db, "a.corp.test", "/find/deep") == "Deep");
  CHECK(source_of(db, "x.a.corp.test", "/find/x") == "Find");
  CHECK(source_of(db, "a.corp.test", "/find") == "Find");
  CHECK(source_of(db, "a.corp.test", "/other") == "A");
  CHECK(source_of(db, "b.corp.test", "/find/") == "Find");
  CHECK(source_of(db, "b.corp.test", "/finder") == "Corp");
  CHECK(source_of(db, "b.corp.test", "/") == "Corp");
  CHECK(source_of(db, "b.corp.test", "") == "Corp");
  CHECK(source_of(db, "b.corp.test", "//find") == "Corp");
  // Far longer than any key's path: only the prefixes that fit are tried.
  std::string long_path = "/find";
  for (int i = 0; i < 200; ++i) long_path += "/segment";
  CHECK(source_of(db, "corp.test", long_path) == "Find");
  CHECK(source_of(db, "corp.test", long_path.substr(5)) == "Corp");
}

TEST_CASE("a host and path need not be one text", "[referrer]") {
  const std::string text = "www.google.fr/imgres?q=cat";
  const std::string host = "www.google.fr";
  const std::string path = "/imgres";
  const auto& db = loopkit::default_referrer_database();

  CHECK(source_of(db, host, path) == "Google Images");
  CHECK(source_of(db, std::string_view(text).substr(0, 13),
                  std::string_view(text).substr(13, 7)) == "Google Images");
  CHECK(source_of(db, host, "/search") == "Google");
}

TEST_CASE("upper-case and trailing-dot referrer hosts are found",
          "[referrer]") {
  const auto images = loopkit::classify_referrer(
      "HTTPS://WWW.GOOGLE.FR./imgres?q=cat", "shop.test");
  CHECK(images.source == "Google Images");
  CHECK(images.term == "cat");
  CHECK(images.host == "www.google.fr");

  const auto app = loopkit::classify_referrer(
      "android-app://com.Google.Android.GM/", "shop.test");
  CHECK(app.medium == referrer_medium::email);
  CHECK(app.source == "Gmail");
  CHECK(app.host == "com.google.android.gm");
}

TEST_CASE("a database of many hosts finds each after growing", "[referrer]") {
  referrer_database db;
  for (int i = 0; i < 2000; ++i) {
    db.add("host" + std::to_string(i) + ".test", named(std::to_string(i)));
  }
  const referrer_database copy = db;

  int found = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string host = "www.host" + std::to_string(i) + ".test";
    found += source_of(db, host) == std::to_string(i);
    found += source_of(copy, host) == std::to_string(i);
  }

  CHECK(found == 4000);
  CHECK(source_of(db, "host2000.test") == "-");
}
