// Finds and reads the public test data of other projects kept in
// peer-cases/ (its README.md gives every format and scoring rule). The data
// is read in place and never copied into this repository; the folder is the
// LOOPKIT_PEER_CASES environment variable, else the CMake cache variable of
// the same name. Without it each conformance test prints a line starting
// "SKIPPED: peer cases" and CTest reports the test as skipped.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace loopkit::conformance {

// The data folder, or nullopt when it does not exist.
std::optional<std::string> peer_cases_dir();

// The text of a file under the data folder, or nullopt after printing the
// SKIPPED line when the folder or the file is missing.
std::optional<std::string> load_text(const std::string& relative_path);

// The JSON of a file under the data folder, or nullopt after printing the
// SKIPPED line when the folder or the file is missing.
std::optional<nlohmann::json> load_json(const std::string& relative_path);

// Counts for one file, printed as one summary line, and the failures, each
// with its index in the file ("urltestdata.json#183").
struct tally {
  std::string name;
  int run = 0;
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  std::map<std::string, int> skip_reasons;
  std::vector<std::string> failures;

  void pass() { ++run, ++passed; }
  void fail(std::string what) {
    ++run, ++failed;
    failures.push_back(std::move(what));
  }
  void skip(const std::string& reason) {
    ++skipped;
    ++skip_reasons[reason];
  }

  // "name: run N, passed N, failed N, skipped N (reason: N, ...)" and then
  // up to max_failures failures, one per line.
  void print(std::size_t max_failures = 50) const;
};

// A short, printable form of test input: control bytes escaped, cut long.
std::string printable(const std::string& s);

}  // namespace loopkit::conformance
