#include "inspect.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
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
       loopkit inspect --lines FILE [options]

Prints, as JSON, what loopkit derives from a visit to page-url: the
campaign in its query (or in its fragment, as single-page apps put it,
when the query has no campaign key), the referrer's class, the source and medium a report
shows, the channel, and whether the user agent is a bot.

With --lines, reads one visit a line from FILE ("-" for standard input):
the page URL, then optionally a tab and the referrer, and a tab and the user
agent. Prints one JSON object a line, in the same order, skipping blank
lines; a page URL that does not parse gives {"line": N, "error": "..."}
and the rest go on.

options:
  --lines FILE        visits to inspect, one a line, tab-separated
  --referrer URL      the referring page (default: none, a direct visit)
  --user-agent UA     the browser's user agent (default: none)
  --referrers FILE    referrer database (referer-parser JSON) added to the
                      built-in one
  --channels FILE     custom channel rules (docs/channels.md)
  -h, --help          show this text

examples:
  loopkit inspect 'https://shop.test/?utm_source=news&utm_medium=email'
  cut -f1,2 landing-pages.tsv | loopkit inspect --lines -
)";

struct inspect_options {
  std::string page_url;
  std::string lines_file;
  std::string referrer;
  std::string user_agent;
  std::string referrers_file;
  std::string channels_file;
};

std::string* option_target(std::string_view name, inspect_options& o) {
  if (name == "--lines") return &o.lines_file;
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
  if (!o.lines_file.empty()) {
    if (!pages.empty() || !o.referrer.empty() || !o.user_agent.empty()) {
      return usage_error("inspect",
                         "--lines reads every visit from its file: no page "
                         "URL, --referrer or --user-agent beside it");
    }
    if (o.lines_file == "-" &&
        (o.referrers_file == "-" || o.channels_file == "-")) {
      return usage_error("inspect",
                         "only one file can be read from standard input");
    }
    return std::nullopt;
  }
  if (o.referrers_file == "-" && o.channels_file == "-") {
    return usage_error("inspect",
                       "only one file can be read from standard input");
  }
  if (pages.empty()) return usage_error("inspect", "inspect needs a page URL");
  if (pages.size() > 1) return usage_error("inspect", "one page URL only");
  o.page_url = pages.front();
  return std::nullopt;
}

std::string dump(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The fields of one line: up to three, split at tabs, without a trailing
// carriage return.
struct visit_line {
  std::string_view page;
  std::string_view referrer;
  std::string_view user_agent;
};

visit_line split_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  visit_line v;
  std::string_view* fields[] = {&v.page, &v.referrer, &v.user_agent};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto tab = line.find('\t');
    // The last field keeps any further tabs: a user agent has none.
    *fields[i] = i == 2 ? line : line.substr(0, tab);
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return v;
}

// One visit a line, into one report kept from line to line, so a long
// export is classified without allocating for each visit.
int inspect_lines(std::istream& in, const raw_view_settings& files) {
  visit_report report;
  std::string line;
  std::size_t number = 0;
  std::size_t failed = 0;
  while (std::getline(in, line)) {
    ++number;
    const visit_line v = split_line(line);
    if (v.page.empty() && v.referrer.empty()) continue;  // a blank line
    if (const auto error = inspect_visit(v.page, v.referrer, v.user_agent,
                                         report, files.referrers,
                                         files.channels)) {
      ++failed;
      std::cout << dump({{"line", number},
                         {"error", std::string("page URL does not parse: ") +
                                       to_string(*error)}},
                        -1)
                << "\n";
      continue;
    }
    std::cout << dump(to_json(report), -1) << "\n";
  }
  if (in.bad()) {
    std::cerr << "loopkit: reading the visits stopped after line " << number
              << "\n";
    return exit_failure;
  }
  if (failed != 0) {
    std::cerr << "loopkit: " << failed << " of " << number
              << " lines have a page URL that does not parse\n";
  }
  return 0;
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

  if (!o.lines_file.empty()) {
    if (o.lines_file == "-") return inspect_lines(std::cin, *files);
    errno = 0;
    std::error_code error;
    std::ifstream in;
    if (std::filesystem::is_directory(o.lines_file, error)) {
      errno = EISDIR;
    } else {
      in.open(o.lines_file);
    }
    if (!in.is_open()) {
      std::cerr << "loopkit: cannot read the visits in " << o.lines_file
                << ": " << (errno != 0 ? std::strerror(errno) : "open failed")
                << "\n";
      return exit_failure;
    }
    return inspect_lines(in, *files);
  }

  const auto visit =
      inspect_visit(o.page_url, o.referrer, o.user_agent,
                    files->referrers, files->channels);
  if (!visit) {
    std::cerr << "loopkit: the page URL does not parse ("
              << to_string(visit.error()) << "): " << o.page_url << "\n";
    return exit_usage;
  }
  std::cout << dump(to_json(*visit), 2) << "\n";
  return 0;
}

}  // namespace loopkit::collector
