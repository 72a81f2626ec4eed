// Writes the benchmark corpus as JSON, with the channel counts the native
// build gives, for wasm_bench.mjs: the WebAssembly build must classify the
// same page views the same way.
//   loopkit_bench_corpus > corpus.json
#include <iostream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "corpus.h"
#include "loopkit/event.h"
#include "loopkit/visit.h"

int main() {
  const auto views = loopkit::bench::make_corpus(10000);

  nlohmann::json list = nlohmann::json::array();
  std::map<std::string, int> channels;
  for (const auto& v : views) {
    list.push_back({v.page, v.referrer});
    const auto visit = loopkit::inspect_visit(v.page, v.referrer, "");
    ++channels[visit ? visit->channel : "(bad page URL)"];
  }
  std::cout << loopkit::dump({{"visits", list}, {"channels", channels}})
            << "\n";
  return 0;
}
