// Classification cases live in tests/data/ as JSON tables; adding a case
// means adding a row.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace loopkit::testing {

// The parsed file tests/data/<name>; a missing or broken file fails the
// test that reads it (nlohmann throws, Catch reports).
inline nlohmann::json load_test_data(const std::string& name) {
  std::ifstream in(std::string(LOOPKIT_TEST_DATA) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

}  // namespace loopkit::testing
