// `loopkit inspect`: what the core derives from a page view, as JSON, so a
// tagged link can be checked before it is sent.
#pragma once

#include <string_view>
#include <vector>

namespace loopkit::collector {

// Runs `loopkit inspect <page-url> [options]` with the arguments after
// "inspect". Prints the JSON on stdout; returns the exit code: 0 done, 1 a
// file could not be read or does not validate, 2 a bad command line or a
// page URL that does not parse.
int inspect(const std::vector<std::string_view>& args);

}  // namespace loopkit::collector
