// One-line, levelled logs on stderr in logfmt style, so they read well in a
// terminal and parse with any logfmt tool:
//   level=warn msg="stored event does not decode" id=3f2a... error="..."
// The happy path stays quiet: per-request lines are debug only.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace loopkit::collector {

enum class log_level : std::uint8_t { debug, info, warn, error };

std::optional<log_level> parse_log_level(std::string_view s);

// Lines below this level are dropped; info unless changed.
void set_log_level(log_level level);
bool log_enabled(log_level level);

struct log_field {
  std::string_view key;
  std::string value;
};

// Writes one line; values with spaces, quotes or '=' are quoted. Safe to
// call from any thread.
void log(log_level level, std::string_view msg,
         std::initializer_list<log_field> fields = {});

}  // namespace loopkit::collector
