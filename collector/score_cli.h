// `loopkit score`: scores visitors from files with the engine the page and
// the collector use, so a model can be tried on exported events before a
// site loads it.
#pragma once

#include <string_view>
#include <vector>

namespace loopkit::collector {

// Runs `loopkit score --events FILE [options]` with the arguments after
// "score". Prints one row per visitor, best score first; returns the exit
// code: 0 done, 1 a file could not be read or does not validate, 2 a bad
// command line.
int score(const std::vector<std::string_view>& args);

}  // namespace loopkit::collector
