// The one error shape for JSON the core reads: events, batches, scoring
// models, referrer databases, configuration.
#pragma once

#include <string>

namespace loopkit {

struct json_error {
  std::string path;     // JSON pointer of the offending value, "/rules/2/points"
  std::string message;  // "must be an integer"
};

}  // namespace loopkit
