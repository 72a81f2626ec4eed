#include "peer_cases.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/stat.h>

namespace loopkit::conformance {

namespace {

bool is_dir(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::optional<std::string> peer_cases_dir() {
  const char* env = std::getenv("LOOPKIT_PEER_CASES");
  const std::string dir =
      env != nullptr && *env != '\0' ? env : LOOPKIT_PEER_CASES_DIR;
  if (!is_dir(dir)) return std::nullopt;
  return dir;
}

std::optional<std::string> load_text(const std::string& relative_path) {
  const auto dir = peer_cases_dir();
  if (!dir) {
    std::cout << "SKIPPED: peer cases not found (looked in \""
              << LOOPKIT_PEER_CASES_DIR
              << "\"; set LOOPKIT_PEER_CASES to the folder)\n";
    return std::nullopt;
  }
  std::ifstream in(*dir + "/" + relative_path, std::ios::binary);
  if (!in) {
    std::cout << "SKIPPED: peer cases file " << relative_path
              << " not found in " << *dir << "\n";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<nlohmann::json> load_json(const std::string& relative_path) {
  const auto text = load_text(relative_path);
  if (!text) return std::nullopt;
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded()) {
    // Unreadable data is a broken checkout, not a reason to pass quietly.
    std::cout << "peer cases file " << relative_path << " is not JSON\n";
    return nlohmann::json();
  }
  return doc;
}

void tally::print(std::size_t max_failures) const {
  std::cout << name << ": run " << run << ", passed " << passed << ", failed "
            << failed << ", skipped " << skipped;
  if (!skip_reasons.empty()) {
    std::cout << " (";
    const char* sep = "";
    for (const auto& [reason, n] : skip_reasons) {
      std::cout << sep << reason << ": " << n;
      sep = "; ";
    }
    std::cout << ")";
  }
  std::cout << "\n";
  for (std::size_t i = 0; i < failures.size() && i < max_failures; ++i) {
    std::cout << "  " << failures[i] << "\n";
  }
  if (failures.size() > max_failures) {
    std::cout << "  ... and " << failures.size() - max_failures << " more\n";
  }
}

std::string printable(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += ch;
    }
    if (out.size() > 200) return out + "...";
  }
  return out;
}

}  // namespace loopkit::conformance
