// Classification speed: page URL and referrer in, campaign, referrer class,
// source, medium and channel out, as the collector and the page run it.
// Each iteration classifies one page view of a fixed corpus (corpus.h), so
// items_per_second is page views per second on one core.
#include <benchmark/benchmark.h>

#include "corpus.h"
#include "loopkit/campaign.h"
#include "loopkit/channel.h"
#include "loopkit/referrer.h"
#include "loopkit/url.h"
#include "loopkit/visit.h"

namespace {

using loopkit::bench::page_view;

constexpr std::size_t corpus_size = 10000;

const std::vector<page_view>& corpus() {
  static const auto c = loopkit::bench::make_corpus(corpus_size);
  return c;
}

// The whole path: what inspect_visit does for every page view.
void classify_visit(benchmark::State& state) {
  const auto& views = corpus();
  std::size_t i = 0;
  for (auto _ : state) {
    const page_view& v = views[i++ % views.size()];
    auto visit = loopkit::inspect_visit(v.page, v.referrer, "");
    benchmark::DoNotOptimize(visit);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(classify_visit);

// The same into one report kept from view to view, as a worker classifying
// a stream does: its strings keep their capacity, so nothing is allocated.
void classify_visit_reused(benchmark::State& state) {
  const auto& views = corpus();
  loopkit::visit_report report;
  std::size_t i = 0;
  for (auto _ : state) {
    const page_view& v = views[i++ % views.size()];
    auto error = loopkit::inspect_visit(v.page, v.referrer, "", report);
    benchmark::DoNotOptimize(error);
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(classify_visit_reused);

// The steps apart, to see where the time goes.
void parse_page_url(benchmark::State& state) {
  const auto& views = corpus();
  std::size_t i = 0;
  for (auto _ : state) {
    auto url = loopkit::parse_url(views[i++ % views.size()].page);
    benchmark::DoNotOptimize(url);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(parse_page_url);

void extract_campaign(benchmark::State& state) {
  std::vector<loopkit::url> urls;
  for (const auto& v : corpus()) urls.push_back(*loopkit::parse_url(v.page));
  std::size_t i = 0;
  for (auto _ : state) {
    auto c = loopkit::extract_campaign(urls[i++ % urls.size()]);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(extract_campaign);

void classify_referrer(benchmark::State& state) {
  const auto& views = corpus();
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = loopkit::classify_referrer(views[i++ % views.size()].referrer,
                                        "www.shop-example.com");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(classify_referrer);

void derive_source_and_channel(benchmark::State& state) {
  struct prepared {
    loopkit::campaign campaign;
    loopkit::referrer_info referrer;
  };
  std::vector<prepared> inputs;
  for (const auto& v : corpus()) {
    const auto url = loopkit::parse_url(v.page);
    inputs.push_back({loopkit::extract_campaign(*url),
                      loopkit::classify_referrer(v.referrer, url->host)});
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const prepared& p = inputs[i++ % inputs.size()];
    const auto s = loopkit::derive_source(p.campaign, p.referrer);
    auto channel = loopkit::find_channel(
        loopkit::make_channel_input(p.campaign, p.referrer, s));
    benchmark::DoNotOptimize(channel);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(derive_source_and_channel);

}  // namespace

BENCHMARK_MAIN();
