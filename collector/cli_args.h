// Command-line pieces every loopkit subcommand shares: exit codes, option
// parsing, reading an input file.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loopkit/result.h"

namespace loopkit::collector {

// Exit codes of every command: 0 done, 1 could not run, 2 bad command line.
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

// Prints "loopkit: <message>" and where the help is; returns exit_usage.
int usage_error(std::string_view command, const std::string& message);

// Walks "--name value" and "--name=value" options, in any order with the
// positional arguments, which go to `positional` (an error when it is
// null). `target` gives the string an option sets, or nullptr for an
// unknown option. "-h"/"--help" prints usage. Returns an exit code when the
// command should end here.
std::optional<int> parse_options(
    const std::vector<std::string_view>& args, std::string_view command,
    std::string_view usage,
    const std::function<std::string*(std::string_view)>& target,
    std::vector<std::string>* positional = nullptr);

// The whole file ("-" reads standard input); on failure the error says why
// ("No such file or directory").
result<std::string, std::string> read_text(const std::string& file);

// The same, saying why on stderr, naming what the file was for ("scoring
// model").
std::optional<std::string> read_input(const std::string& file,
                                      const char* what);

}  // namespace loopkit::collector
