// The classify_visit benchmark of classify_bench.cpp, compiled to
// WebAssembly and run under node: the same corpus (generated here, from the
// same seed) through the same inspect_visit, timed in the same loop, so the
// ratio to native measures the core and not the way into it. wasm_bench.mjs
// measures the other half, the JS call with its string conversions.
//
//   node --no-experimental-fetch loopkit_bench_wasm.js
//   -> {"best": ..., "median": ..., "reused_median": ..., "passes": ...,
//       "channels": {...}}
//
// Time is the process's CPU time, as Google Benchmark's items_per_second
// is, so the ratio holds on a busy machine too.
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "corpus.h"
#include "loopkit/visit.h"

// Node's process.cpuUsage(), in seconds. EM_JS needs no eval at run time.
EM_JS(double, cpu_seconds, (), {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
});

namespace {

constexpr double min_seconds = 3.0;

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

}  // namespace

int main() {
  const auto views = loopkit::bench::make_corpus(10000);

  // One pass for the channel counts, which must be native's, and to warm
  // the engine's tiers up.
  std::map<std::string, int> channels;
  for (const auto& v : views) {
    const auto visit = loopkit::inspect_visit(v.page, v.referrer, "");
    ++channels[visit ? visit->channel : "(bad page URL)"];
  }

  // Each pass classifies the whole corpus, with a new report for each view
  // and then into one report kept from view to view.
  std::vector<double> rates;
  std::vector<double> reused_rates;
  loopkit::visit_report report;
  const double started = cpu_seconds();
  while (cpu_seconds() - started < min_seconds) {
    double t0 = cpu_seconds();
    for (const auto& v : views) {
      auto visit = loopkit::inspect_visit(v.page, v.referrer, "");
      // Keeps the work observable, as benchmark::DoNotOptimize does.
      asm volatile("" : : "r"(&visit) : "memory");
    }
    rates.push_back(static_cast<double>(views.size()) / (cpu_seconds() - t0));
    t0 = cpu_seconds();
    for (const auto& v : views) {
      auto error = loopkit::inspect_visit(v.page, v.referrer, "", report);
      asm volatile("" : : "r"(&error), "r"(&report) : "memory");
    }
    reused_rates.push_back(static_cast<double>(views.size()) /
                           (cpu_seconds() - t0));
  }
  std::sort(rates.begin(), rates.end());
  std::sort(reused_rates.begin(), reused_rates.end());

  std::string counts;
  for (const auto& [channel, n] : channels) {
    if (!counts.empty()) counts += ',';
    counts += json_string(channel) + ':' + std::to_string(n);
  }
  std::printf("{\"best\":%.0f,\"median\":%.0f,\"reused_median\":%.0f,"
              "\"passes\":%zu,\"channels\":{%s}}\n",
              rates.back(), rates[rates.size() / 2],
              reused_rates[reused_rates.size() / 2], rates.size(),
              counts.c_str());
  return 0;
}
