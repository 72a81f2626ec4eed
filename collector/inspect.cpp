#include "inspect.h"

#include <iostream>
#include <optional>
#include <string>

#include "loopkit/event.h"
#include "loopkit/visit.h"
#include "classifier_files.h"
#include "cli_args.h"

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

struct inspect_options {
  std::string page_url;
  std::string referrer;
  std::string user_agent;
  std::string referrers_file;
  std::string channels_file;
};

std::string* option_target(std::string_view name, inspect_options& o) {
  if (name == "--referrer") return &o.referrer;
  if (name == "--user-agent") return &o.user_agent;
  if (name == "--referrers") return &o.referrers_file;
  if (name == "--channels") return &o.channels_file;
  return nullptr;
}

// Reads the page URL and the options. Returns an exit code when the
// command should end here.
std::optional<int> parse_args(const std::vector<std::string_view>& args,
                              inspect_options& o) {
  std::vector<std::string> pages;
  if (const auto code = parse_options(
          args, "inspect", inspect_usage,
          [&](std::string_view name) { return option_target(name, o); },
          &pages)) {
    return code;
  }
  if (pages.empty()) return usage_error("inspect", "inspect needs a page URL");
  if (pages.size() > 1) return usage_error("inspect", "one page URL only");
  o.page_url = pages.front();
  return std::nullopt;
}

}  // namespace

int inspect(const std::vector<std::string_view>& args) {
  inspect_options o;
  if (const auto exit_code = parse_args(args, o)) return *exit_code;

  const auto files = load_classifier_files(o.referrers_file, o.channels_file);
  if (!files) {
    std::cerr << "loopkit: " << describe(files.error()) << "\n";
    return exit_failure;
  }

  const auto visit =
      inspect_visit(o.page_url, o.referrer, o.user_agent,
                    files->referrers, files->channels);
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
