#include "cli_args.h"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <sstream>

#include "static_files.h"

namespace loopkit::collector {

int usage_error(std::string_view command, const std::string& message) {
  std::cerr << "loopkit: " << message << "\nRun 'loopkit " << command
            << " --help' for the options.\n";
  return exit_usage;
}

std::optional<int> parse_options(
    const std::vector<std::string_view>& args, std::string_view command,
    std::string_view usage,
    const std::function<std::string*(std::string_view)>& target,
    std::vector<std::string>* positional) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto arg = args[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << usage;
      return 0;
    }
    if (arg.substr(0, 2) != "--") {
      if (positional == nullptr) {
        return usage_error(command, "unexpected argument " + std::string(arg));
      }
      positional->emplace_back(arg);
      continue;
    }

    const auto equals = arg.find('=');
    const auto name = arg.substr(0, equals);
    std::string* value = target(name);
    if (value == nullptr) {
      return usage_error(command, "unknown option " + std::string(name));
    }
    if (equals != std::string_view::npos) {
      *value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      *value = args[++i];
    } else {
      return usage_error(command, std::string(name) + " needs a value");
    }
  }
  return std::nullopt;
}

result<std::string, std::string> read_text(const std::string& file) {
  if (file == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return text.str();
  }
  errno = 0;
  auto text = read_file(file);
  if (!text) {
    return fail(std::string(errno != 0 ? std::strerror(errno)
                                       : "read failed"));
  }
  return std::move(*text);
}

std::optional<std::string> read_input(const std::string& file,
                                      const char* what) {
  auto text = read_text(file);
  if (!text) {
    std::cerr << "loopkit: cannot read " << what << " " << file << ": "
              << text.error() << "\n";
    return std::nullopt;
  }
  return std::move(*text);
}

}  // namespace loopkit::collector
