// Scoring speed: one visitor's history rescored with the demo model, as the
// page does after every event and the collector for every lead. The
// history_* benchmarks report events scored per second (items_per_second)
// and, per iteration, the time one rescore of that history takes.
// scoring_wasm_bench.mjs runs the same mix through the WebAssembly build.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "loopkit/scoring.h"
#include "loopkit/tracker.h"

namespace {

constexpr std::int64_t t0 = 1764000000000;
constexpr std::int64_t minute = 60 * 1000;

const loopkit::scoring_model& demo_model() {
  static const loopkit::scoring_model model = [] {
    std::ifstream in(LOOPKIT_DEMO_MODEL);
    std::stringstream text;
    text << in.rdbuf();
    auto m = loopkit::load_scoring_model(text.str());
    return m ? *m : loopkit::default_scoring_model();
  }();
  return model;
}

// A mix like a busy visitor's: mostly page views (a third of them pricing),
// CTA clicks, a few discount codes and lead forms, custom events; one every
// few minutes, over several weeks, all with an email campaign's touch.
std::vector<loopkit::event> make_history(std::size_t n) {
  static const char* const paths[] = {
      "/",        "/pricing", "/blog/invoices", "/pricing/teams",
      "/careers", "/signup"};
  std::vector<loopkit::event> events;
  std::uint32_t seed = 20261204;
  const auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;  // Numerical Recipes' LCG
    return seed >> 8;
  };
  std::int64_t time = t0;
  for (std::size_t i = 0; i < n; ++i) {
    loopkit::event e;
    e.id = "e" + std::to_string(i);
    e.visitor_id = "v";
    e.session_id = "s";
    time += static_cast<std::int64_t>(next() % (90 * minute));
    e.time = time;
    e.page.path = paths[next() % 6];
    e.page.url = "https://shop.test" + e.page.path;
    e.touch.campaign.source = "newsletter";
    e.touch.campaign.medium = "email";
    e.touch.channel = "Email";
    const auto kind = next() % 100;
    if (kind < 55) {
      e.type = loopkit::event_type::page_view;
    } else if (kind < 80) {
      e.type = loopkit::event_type::cta_click;
      e.props = {{"cta", "hero-trial"}, {"text", "Start"}};
    } else if (kind < 85) {
      e.type = loopkit::event_type::discount_code;
      e.props = {{"code", "SPRING20"}, {"via", "url"}};
    } else if (kind < 88) {
      e.type = loopkit::event_type::lead;
      e.props = {{"form", "signup"},
                 {"email_domain", "analytical.test"},
                 {"fields", {{"job_title", "CTO"}, {"company_size", "11-50"}}}};
    } else {
      e.type = loopkit::event_type::track;
      e.name = "video_play";
      e.props = {{"seconds", 42}};
    }
    events.push_back(std::move(e));
  }
  return events;
}

// One rescore of an n-event history, as of an hour after its last event.
void history(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto events = make_history(n);
  const std::int64_t now = events.back().time + 60 * minute;
  for (auto _ : state) {
    auto score = loopkit::score_events(demo_model(), events, now);
    benchmark::DoNotOptimize(score);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(history)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

// The score as JSON text too, as the page reads it after every event.
void history_to_json(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto events = make_history(n);
  const std::int64_t now = events.back().time + 60 * minute;
  for (auto _ : state) {
    auto text = loopkit::dump(
        loopkit::to_json(loopkit::score_events(demo_model(), events, now)));
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}
BENCHMARK(history_to_json)->Arg(1000)->Unit(benchmark::kMicrosecond);

// Everything the core does for one CTA click in the page with a full
// history (500 events, the tracker's default): the event, the rescore and
// the status check. Saving the state is measured apart, below.
void tracker_record(benchmark::State& state) {
  loopkit::tracker_config config;
  config.model = demo_model();
  loopkit::tracker t{config, 1, 2};
  std::int64_t now = t0;
  for (int i = 0; i < 500; ++i) {
    t.page_view("https://shop.test/pricing", "", "Pricing", now += minute);
  }
  (void)t.take_outbox();
  const nlohmann::json props{{"cta", "hero-trial"}, {"text", "Start"}};
  for (auto _ : state) {
    auto e = t.record("cta_click", "", props, now += 1000);
    benchmark::DoNotOptimize(e);
    if (state.iterations() % 64 == 0) (void)t.take_outbox();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(tracker_record)->Unit(benchmark::kMicrosecond);

// The page saves the whole state after every event.
void tracker_state_json(benchmark::State& state) {
  loopkit::tracker t{loopkit::tracker_config{}, 1, 2};
  std::int64_t now = t0;
  for (int i = 0; i < 500; ++i) {
    t.page_view("https://shop.test/pricing", "", "Pricing", now += minute);
  }
  for (auto _ : state) {
    auto text = t.state_json();
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(tracker_state_json)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
