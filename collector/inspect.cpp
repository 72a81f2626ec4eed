#include "inspect.h"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "loopkit/channel.h"
#include "loopkit/event.h"
#include "loopkit/referrer.h"
#include "loopkit/visit.h"
#include "static_files.h"

namespace loopkit::collector {
namespace {

constexpr const char* inspect_usage =
    R"(usage: loopkit inspect <page-url> [options]

Prints, as JSON, what loopkit derives from a visit to page-url: the
campaign in its query, the referrer's class, the source and medium a report
shows, the channel, and whether the user agent is a bot.

options:
  --referrer URL      the referring page (default: none, a direct visit)
  --user-agent UA     the browser's user agent (default: none)
  --referrers FILE    referrer database (referer-parser JSON) added to the
                      built-in one
  --channels FILE     custom channel rules (docs/channels.md)
  -h, --help          show this text

example:
  loopkit inspect 'https://shop.test/?utm_source=news&utm_medium=email'
)";

constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

struct inspect_options {
  std::string page_url;
  std::string referrer;
  std::string user_agent;
  std::string referrers_file;
  std::string channels_file;
};

int usage_error(const std::string& message) {
  std::cerr << "loopkit: " << message
            << "\nRun 'loopkit inspect --help' for the options.\n";
  return exit_usage;
}

std::string* option_target(std::string_view name, inspect_options& o) {
  if (name == "--referrer") return &o.referrer;
  if (name == "--user-agent") return &o.user_agent;
  if (name == "--referrers") return &o.referrers_file;
  if (name == "--channels") return &o.channels_file;
  return nullptr;
}

// Reads the page URL and "--name value" or "--name=value" options. Returns
// an exit code when the command should end here.
std::optional<int> parse_args(const std::vector<std::string_view>& args,
                              inspect_options& o) {
  bool have_page = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto arg = args[i];
    if (arg == "-h" || arg == "--help") {
      std::cout << inspect_usage;
      return 0;
    }
    if (arg.substr(0, 2) != "--") {
      if (have_page) return usage_error("one page URL only");
      o.page_url = arg;
      have_page = true;
      continue;
    }

    const auto equals = arg.find('=');
    const auto name = arg.substr(0, equals);
    std::string* target = option_target(name, o);
    if (target == nullptr) {
      return usage_error("unknown option " + std::string(name));
    }
    if (equals != std::string_view::npos) {
      *target = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      *target = args[++i];
    } else {
      return usage_error(std::string(name) + " needs a value");
    }
  }
  if (!have_page) return usage_error("inspect needs a page URL");
  return std::nullopt;
}

std::optional<std::string> read_input(const std::string& file,
                                      const char* what) {
  errno = 0;
  auto text = read_file(file);
  if (!text) {
    std::cerr << "loopkit: cannot read " << what << " " << file << ": "
              << (errno != 0 ? std::strerror(errno) : "read failed") << "\n";
  }
  return text;
}

void report_invalid(const char* what, const std::string& file,
                    const json_error& e) {
  std::cerr << "loopkit: invalid " << what << " " << file << ": "
            << (e.path.empty() ? "" : e.path + ": ") << e.message << "\n";
}

}  // namespace

int inspect(const std::vector<std::string_view>& args) {
  inspect_options o;
  if (const auto exit_code = parse_args(args, o)) return *exit_code;

  referrer_database referrers = default_referrer_database();
  if (!o.referrers_file.empty()) {
    const auto text = read_input(o.referrers_file, "referrer database");
    if (!text) return exit_failure;
    const auto loaded = load_referrer_database(*text, referrers);
    if (!loaded) {
      report_invalid("referrer database", o.referrers_file, loaded.error());
      return exit_failure;
    }
  }
  channel_rules channels;
  if (!o.channels_file.empty()) {
    const auto text = read_input(o.channels_file, "channel rules");
    if (!text) return exit_failure;
    auto rules = load_channel_rules(*text);
    if (!rules) {
      report_invalid("channel rules", o.channels_file, rules.error());
      return exit_failure;
    }
    channels = std::move(*rules);
  }

  const auto visit =
      inspect_visit(o.page_url, o.referrer, o.user_agent, referrers, channels);
  if (!visit) {
    std::cerr << "loopkit: the page URL does not parse ("
              << to_string(visit.error()) << "): " << o.page_url << "\n";
    return exit_usage;
  }
  std::cout << to_json(*visit).dump(2, ' ', false,
                                    nlohmann::json::error_handler_t::replace)
            << "\n";
  return 0;
}

}  // namespace loopkit::collector
