#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "test_data.h"
#include "loopkit/pattern.h"

using loopkit::testing::load_test_data;

using loopkit::compile_pattern;

TEST_CASE("patterns match as patterns.json says", "[pattern]") {
  const auto rows = load_test_data("patterns.json");
  REQUIRE(rows.size() > 20);

  for (const auto& row : rows) {
    if (row.is_string()) continue;  // a comment
    const std::string source = row["pattern"], text = row["text"];

    const auto p = compile_pattern(source);

    INFO("/" << source << "/ on \"" << text << "\"");
    REQUIRE(p);  // searched below
    CHECK(p->search(text) == row["match"].get<bool>());
  }
}

TEST_CASE("patterns that cannot compile say why", "[pattern]") {
  const auto rows = load_test_data("pattern_errors.json");

  for (const auto& row : rows) {
    if (row.is_string()) continue;
    const std::string source = row["pattern"];

    const auto p = compile_pattern(source);

    INFO("/" << source << "/");
    REQUIRE_FALSE(p);  // error() is read below
    CHECK(loopkit::to_string(p.error()) == row["error"].get<std::string>());
  }
}

TEST_CASE("case matters when asked to", "[pattern]") {
  const auto p = compile_pattern("^Email$", false);

  REQUIRE(p);
  CHECK(p->search("Email"));
  CHECK_FALSE(p->search("email"));
}

TEST_CASE("a nested repeat stays linear on a long text", "[pattern]") {
  const auto p = compile_pattern("^(a+)+$");
  const std::string text = std::string(16 * 1024, 'a') + "!";

  REQUIRE(p);
  CHECK_FALSE(p->search(text));
  CHECK(p->search(std::string(16 * 1024, 'a')));
}

TEST_CASE("a pattern longer than the limit is refused", "[pattern]") {
  const auto p =
      compile_pattern(std::string(loopkit::max_pattern_length + 1, 'a'));

  REQUIRE_FALSE(p);
  CHECK(p.error() == loopkit::pattern_error::too_long);
}
