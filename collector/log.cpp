#include "log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace loopkit::collector {
namespace {

std::atomic<log_level> min_level{log_level::info};
std::mutex write_mutex;

const char* to_string(log_level level) {
  switch (level) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warn: return "warn";
    case log_level::error: return "error";
  }
  return "info";
}

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || c == '"' || c == '=' || c == '\\' || u == 0x7f) return true;
  }
  return false;
}

// Control characters are escaped so a hostile path or message can never
// start a fake log line.
void append_quoted(std::string& line, std::string_view value) {
  line += '"';
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      line += '\\';
      line += c;
    } else if (c == '\n') {
      line += "\\n";
    } else if (u < ' ' || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", u);
      line += escaped;
    } else {
      line += c;
    }
  }
  line += '"';
}

void append_value(std::string& line, std::string_view value) {
  if (needs_quotes(value)) {
    append_quoted(line, value);
  } else {
    line += value;
  }
}

}  // namespace

std::optional<log_level> parse_log_level(std::string_view s) {
  for (const auto level :
       {log_level::debug, log_level::info, log_level::warn, log_level::error}) {
    if (s == to_string(level)) return level;
  }
  return std::nullopt;
}

void set_log_level(log_level level) { min_level = level; }

bool log_enabled(log_level level) { return level >= min_level.load(); }

void log(log_level level, std::string_view msg,
         std::initializer_list<log_field> fields) {
  if (!log_enabled(level)) return;

  std::string line = "level=";
  line += to_string(level);
  line += " msg=";
  append_quoted(line, msg);
  for (const auto& field : fields) {
    line += ' ';
    line += field.key;
    line += '=';
    append_value(line, field.value);
  }
  line += '\n';

  const std::lock_guard<std::mutex> lock(write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace loopkit::collector
