#include "score_cli.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "loopkit/event.h"
#include "loopkit/scoring.h"
#include "loopkit/text.h"
#include "cli_args.h"

namespace loopkit::collector {
namespace {

using nlohmann::json;

constexpr const char* score_usage =
    R"(usage: loopkit score --events FILE [options]

Scores every visitor in FILE with a scoring model (docs/scoring.md) and
prints fit, grade, engagement, stage and status, best score first.

FILE holds one event per line in its JSON form (docs/events.md), as the
collector stores it; '-' reads standard input.

options:
  --model FILE      scoring model JSON (default: the built-in model)
  --format F        table, csv or json (with every reason); default table
  --now MS          score as of this time, in milliseconds since the Unix
                    epoch (default: now), so results can be reproduced
  -h, --help        show this text

example:
  loopkit score --model web/demo/scoring.json --events events.ndjson
)";

enum class output_format : std::uint8_t { table, csv, json_doc };

struct score_options {
  std::string model_file;
  std::string events_file;
  std::string format = "table";
  std::string now;
};

struct visitor_score {
  std::string visitor_id;
  std::size_t events = 0;
  lead_score score;
};

std::string* option_target(std::string_view name, score_options& o) {
  if (name == "--model") return &o.model_file;
  if (name == "--events") return &o.events_file;
  if (name == "--format") return &o.format;
  if (name == "--now") return &o.now;
  return nullptr;
}

std::optional<int> parse_args(const std::vector<std::string_view>& args,
                              score_options& o) {
  if (const auto code = parse_options(
          args, "score", score_usage,
          [&](std::string_view name) { return option_target(name, o); })) {
    return code;
  }
  if (o.events_file.empty()) {
    return usage_error("score", "score needs --events FILE");
  }
  return std::nullopt;
}

std::optional<output_format> parse_format(std::string_view s) {
  if (s == "table") return output_format::table;
  if (s == "csv") return output_format::csv;
  if (s == "json") return output_format::json_doc;
  return std::nullopt;
}

// Milliseconds as plain digits; up to 15 of them (year 33658).
std::optional<std::int64_t> parse_now(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  std::int64_t n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::int64_t clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch())
      .count();
}

// One event per line; blank lines are skipped. received_at, which the
// collector's API adds to what it stores, is ignored.
std::optional<std::vector<event>> read_events(const std::string& file,
                                              const std::string& text) {
  std::vector<event> events;
  std::size_t line_no = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    ++line_no;
    if (trim(line).empty()) continue;
    json j = json::parse(line, nullptr, false);
    if (j.is_object()) j.erase("received_at");
    auto e = j.is_discarded() ? result<event, decode_error>(
                                    fail(json_error{"", "not valid JSON"}))
                              : decode_event(j);
    if (!e) {
      std::cerr << "loopkit: invalid event at " << file << ":" << line_no
                << ": " << (e.error().path.empty() ? "" : e.error().path + ": ")
                << e.error().message << "\n";
      return std::nullopt;
    }
    events.push_back(std::move(*e));
  }
  return events;
}

// One score per visitor, best first; ties by visitor id, so the output
// never depends on the order of the file.
std::vector<visitor_score> score_visitors(const scoring_model& model,
                                          std::vector<event> events,
                                          std::int64_t now) {
  std::stable_sort(events.begin(), events.end(),
                   [](const event& a, const event& b) {
                     return a.visitor_id < b.visitor_id;
                   });
  std::vector<visitor_score> out;
  for (auto first = events.begin(); first != events.end();) {
    const auto last = std::find_if(first, events.end(), [&](const event& e) {
      return e.visitor_id != first->visitor_id;
    });
    const std::vector<event> mine(first, last);
    out.push_back(
        {first->visitor_id, mine.size(), score_events(model, mine, now)});
    first = last;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const visitor_score& a, const visitor_score& b) {
                     return a.score.points > b.score.points;
                   });
  return out;
}

std::string shown(centipoints p) { return dump(points_json(p)); }

std::vector<std::string> row_of(const visitor_score& v) {
  return {v.visitor_id,   shown(v.score.points),     shown(v.score.fit),
          v.score.grade,  shown(v.score.engagement), v.score.stage,
          v.score.status, std::to_string(v.events)};
}

const std::vector<std::string> columns = {"visitor_id", "points",     "fit",
                                          "grade",      "engagement", "stage",
                                          "status",     "events"};

// Numbers right-aligned, text left-aligned, "-" for empty text.
void print_table(const std::vector<visitor_score>& visitors) {
  const std::vector<bool> numeric = {false, true,  true,  false,
                                     true,  false, false, true};
  std::vector<std::vector<std::string>> rows = {columns};
  for (const auto& v : visitors) {
    auto row = row_of(v);
    for (auto& cell : row) {
      if (cell.empty()) cell = "-";
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(columns.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      width[c] = std::max(width[c], row[c].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      if (c > 0) line += "  ";
      line += numeric[c] ? pad + row[c] : row[c] + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
}

// RFC 4180: quoted when it holds a comma, a quote or a line break.
// https://www.rfc-editor.org/rfc/rfc4180#section-2
std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void print_csv(const std::vector<visitor_score>& visitors) {
  const auto print_row = [](const std::vector<std::string>& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      std::cout << (c > 0 ? "," : "") << csv_cell(row[c]);
    }
    std::cout << "\r\n";
  };
  print_row(columns);
  for (const auto& v : visitors) print_row(row_of(v));
}

void print_json(const std::vector<visitor_score>& visitors, std::int64_t now) {
  json list = json::array();
  for (const auto& v : visitors) {
    list.push_back({{"visitor_id", v.visitor_id},
                    {"events", v.events},
                    {"score", to_json(v.score)}});
  }
  const json out{{"now", now}, {"visitors", std::move(list)}};
  std::cout << out.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace

int score(const std::vector<std::string_view>& args) {
  score_options o;
  if (const auto exit_code = parse_args(args, o)) return *exit_code;
  const auto format = parse_format(o.format);
  if (!format) return usage_error("score", "--format must be table, csv or json");
  const auto now = o.now.empty() ? std::optional(clock_ms()) : parse_now(o.now);
  if (!now)
    return usage_error("score",
                       "--now must be milliseconds, like 1764000000000");

  scoring_model model = default_scoring_model();
  if (!o.model_file.empty()) {
    const auto text = read_input(o.model_file, "scoring model");
    if (!text) return exit_failure;
    auto loaded = load_scoring_model(*text);
    if (!loaded) {
      const auto& e = loaded.error();
      std::cerr << "loopkit: invalid scoring model " << o.model_file << ": "
                << (e.path.empty() ? "" : e.path + ": ") << e.message << "\n";
      return exit_failure;
    }
    model = std::move(*loaded);
  }
  const auto text = read_input(o.events_file, "events");
  if (!text) return exit_failure;
  auto events = read_events(o.events_file, *text);
  if (!events) return exit_failure;

  const auto visitors = score_visitors(model, std::move(*events), *now);
  switch (*format) {
    case output_format::table: print_table(visitors); break;
    case output_format::csv: print_csv(visitors); break;
    case output_format::json_doc: print_json(visitors, *now); break;
  }
  return 0;
}

}  // namespace loopkit::collector
