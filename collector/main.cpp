// loopkit: the command line. `loopkit serve` runs the collector;
// `loopkit inspect` shows how a visit is classified; `loopkit score` scores
// visitors from files.
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <pthread.h>

#include "classifier_files.h"
#include "cli_args.h"
#include "inspect.h"
#include "log.h"
#include "loopkit/scoring.h"
#include "score_cli.h"
#include "server.h"
#include "static_files.h"
#include "store.h"

namespace loopkit::collector {
namespace {

constexpr const char* main_usage = R"(usage: loopkit <command> [options]

commands:
  serve    run the collector: events in, scored leads out, demo pages
  inspect  show what loopkit derives from a page URL and referrer
  score    score visitors from an events file with a scoring model
  help     show this text

Run 'loopkit <command> --help' for the options of a command.
)";

constexpr const char* serve_usage = R"(usage: loopkit serve [options]

Stores events and raw page views posted to /collect (bots' apart), lists
them at /api/events, the scored leads at /api/leads and the counts at
/api/summary, and serves the demo pages with the snippet.

options:
  --host H          address to listen on (default 127.0.0.1)
  --port P          port, 0 for any free one (default 8080)
  --db FILE         SQLite file, created when missing (default loopkit.db)
  --web DIR         pages served at / (default web/demo)
  --snippet DIR     built snippet served at /loopkit/
                    (default build/web/loopkit)
  --scoring FILE    scoring model JSON (default: the built-in model)
  --referrers FILE  referrer database (referer-parser JSON) added to the
                    built-in one, to classify raw page views
  --channels FILE   custom channel rules (docs/channels.md) for raw page
                    views
  --log-level L     debug, info, warn or error (default info)
  -h, --help        show this text
)";

struct serve_options {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string db = "loopkit.db";
  std::string web = "web/demo";
  std::string snippet = "build/web/loopkit";
  std::string scoring;  // empty: the built-in model
  std::string referrers;  // empty: the built-in list only
  std::string channels;   // empty: GA4's default channel group
  log_level level = log_level::info;
};

std::optional<int> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  int port = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + (c - '0');
  }
  if (port > 65535) return std::nullopt;
  return port;
}

// The value an option sets; nothing for an unknown option.
std::string* option_target(std::string_view name, serve_options& options,
                           std::string& port, std::string& level) {
  if (name == "--host") return &options.host;
  if (name == "--port") return &port;
  if (name == "--db") return &options.db;
  if (name == "--web") return &options.web;
  if (name == "--snippet") return &options.snippet;
  if (name == "--scoring") return &options.scoring;
  if (name == "--referrers") return &options.referrers;
  if (name == "--channels") return &options.channels;
  if (name == "--log-level") return &level;
  return nullptr;
}

// Returns an exit code when the command should end here (help, or a usage
// error).
std::optional<int> parse_serve_args(const std::vector<std::string_view>& args,
                                    serve_options& options) {
  std::string port;
  std::string level;
  if (const auto code = parse_options(
          args, "serve", serve_usage, [&](std::string_view name) {
            return option_target(name, options, port, level);
          })) {
    return code;
  }

  if (!port.empty()) {
    const auto parsed = parse_port(port);
    if (!parsed) {
      return usage_error("serve", "--port must be 0 to 65535, not " + port);
    }
    options.port = *parsed;
  }
  if (!level.empty()) {
    const auto parsed = parse_log_level(level);
    if (!parsed) {
      return usage_error(
          "serve", "--log-level must be debug, info, warn or error");
    }
    options.level = *parsed;
  }
  return std::nullopt;
}

// The model and the text the page will load, so both score alike.
std::optional<site_config> load_model(const serve_options& options) {
  site_config site;
  if (options.scoring.empty()) {
    site.model = default_scoring_model();
    site.model_json = default_scoring_model_json();
    return site;
  }

  errno = 0;
  const auto text = read_file(options.scoring);
  if (!text) {
    log(log_level::error, "cannot read scoring model",
        {{"file", options.scoring},
         {"error", errno != 0 ? std::strerror(errno) : "read failed"}});
    return std::nullopt;
  }
  auto model = load_scoring_model(*text);
  if (!model) {
    log(log_level::error, "invalid scoring model",
        {{"file", options.scoring},
         {"path", model.error().path},
         {"error", model.error().message}});
    return std::nullopt;
  }
  site.model = std::move(*model);
  site.model_json = *text;
  return site;
}

// Missing directories are not fatal (the API works without them), but a
// demo user should learn why the page is blank.
void warn_if_missing(const std::filesystem::path& dir, const char* what) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    log(log_level::warn, "directory not found",
        {{"dir", dir.string()}, {"serves", what}});
  }
}

std::string base_url(const std::string& host, int port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  const auto shown = ipv6 ? "[" + host + "]" : host;
  return "http://" + shown + ":" + std::to_string(port) + "/";
}

// SIGINT and SIGTERM are blocked in every thread and taken here with
// sigtimedwait, so the stop runs as ordinary code rather than in a handler.
// A second signal quits at once, for when open connections hold the stop.
void wait_for_stop(server& http, const sigset_t& stop_signals,
                   const std::atomic<bool>& done) {
  const timespec tick{0, 100 * 1000 * 1000};
  int signal = -1;
  while (!done && signal < 0) {
    signal = sigtimedwait(&stop_signals, nullptr, &tick);
  }
  if (done) return;

  log(log_level::info, "stopping",
      {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
  while (!done && !http.running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!done) http.stop();
  while (!done) {
    const int again = sigtimedwait(&stop_signals, nullptr, &tick);
    if (again > 0) std::_Exit(exit_failure);
  }
}

int serve(const std::vector<std::string_view>& args) {
  serve_options options;
  if (const auto exit_code = parse_serve_args(args, options)) return *exit_code;
  set_log_level(options.level);

  // Before any thread starts, so every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // httplib writes with plain send(); a client that hangs up must not kill us.
  std::signal(SIGPIPE, SIG_IGN);

  // Files named on the command line: a bad one is a usage error, like a
  // bad flag, since the collector would score or classify everything wrong
  // without it.
  auto site = load_model(options);
  if (!site) return exit_usage;
  auto classify = load_classifier_files(options.referrers, options.channels);
  if (!classify) {
    const auto& e = classify.error();
    const std::string what = e.what;
    if (e.unreadable) {
      log(log_level::error, "cannot read " + what,
          {{"file", e.file}, {"error", e.message}});
    } else {
      log(log_level::error, "invalid " + what,
          {{"file", e.file}, {"path", e.path}, {"error", e.message}});
    }
    return exit_usage;
  }
  site->classify = std::move(*classify);
  site->web_dir = options.web;
  site->snippet_dir = options.snippet;
  warn_if_missing(site->web_dir, "/");
  warn_if_missing(site->snippet_dir, "/loopkit/");

  auto events = store::open(options.db);
  if (!events) {
    log(log_level::error, "cannot open database",
        {{"file", options.db}, {"error", events.error().message}});
    return exit_failure;
  }

  server http(*events, std::move(*site));
  const auto port = http.bind(options.host, options.port);
  if (!port) {
    log(log_level::error, "cannot listen",
        {{"address", options.host + ":" + std::to_string(options.port)},
         {"error", port.error()}});
    return exit_failure;
  }
  std::cout << "loopkit: serving " << base_url(options.host, *port)
            << std::endl;

  std::atomic<bool> done{false};
  std::thread stopper([&] { wait_for_stop(http, stop_signals, done); });
  const bool clean = http.run();
  done = true;
  stopper.join();

  if (!clean) {
    log(log_level::error, "server stopped unexpectedly");
    return exit_failure;
  }
  return 0;
}

int run(const std::vector<std::string_view>& args) {
  if (args.empty()) {
    std::cerr << main_usage;
    return exit_usage;
  }

  const auto command = args.front();
  const std::vector<std::string_view> rest(args.begin() + 1, args.end());
  if (command == "serve") return serve(rest);
  if (command == "inspect") return inspect(rest);
  if (command == "score") return score(rest);
  if (command == "help" || command == "-h" || command == "--help") {
    std::cout << main_usage;
    return 0;
  }
  std::cerr << "loopkit: unknown command " << command << "\n\n" << main_usage;
  return exit_usage;
}

}  // namespace
}  // namespace loopkit::collector

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  return loopkit::collector::run(args);
}
