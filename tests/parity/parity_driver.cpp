// Runs the parity cases through the native core, with the very adapters the
// WebAssembly build uses, and prints one JSON text per line. parity.test.mjs
// runs the same cases through loopkit-core.wasm and compares the lines.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters.h"
#include "loopkit/json_api.h"
#include "loopkit/sha256.h"

namespace api = loopkit::json_api;
using nlohmann::json;

namespace {

std::string str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

double num(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0;
}

void run_script(const json& script) {
  loopkit::wasm::js_tracker t(str(script, "config"), str(script, "seed"));
  std::cout << t.config_error() << '\n';
  for (const auto& op : script["ops"]) {
    const std::string kind = str(op, "op");
    if (kind == "page_view") {
      t.page_view(str(op, "url"), str(op, "referrer"), str(op, "title"),
                  num(op, "now"), str(op, "id"));
    } else if (kind == "record") {
      std::cout << t.record(str(op, "type"), str(op, "name"),
                            str(op, "props"), num(op, "now"))
                << '\n';
    } else if (kind == "identify") {
      t.identify(str(op, "email"));
    } else if (kind == "restore") {
      std::cout << (t.restore(str(op, "state")) ? "true" : "false") << '\n';
    } else if (kind == "model") {
      std::cout << t.set_model(str(op, "model")) << '\n';
    } else if (kind == "adopt") {
      std::cout << (t.adopt_visitor(str(op, "id")) ? "true" : "false")
                << '\n';
    } else if (kind == "clean") {
      std::cout << t.clean_url(str(op, "url")) << '\n';
    } else if (kind == "decorate") {
      std::cout << t.decorate_link(str(op, "href"), str(op, "page"),
                                   num(op, "now"))
                << '\n';
    } else if (kind == "touches") {
      std::cout << t.touches() << '\n';
    }
  }
  std::cout << t.score() << '\n'
            << t.fill_values() << '\n'
            << t.take_events() << '\n'
            << t.state() << '\n'
            << t.visitor_id() << '\n'
            << t.touches() << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: loopkit_parity_driver CASES.json\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const json cases = json::parse(text.str(), nullptr, false);
  if (!cases.is_object()) {
    std::cerr << "parity: cannot read " << argv[1] << "\n";
    return 2;
  }

  for (const auto& u : cases["urls"]) {
    const std::string s = u.get<std::string>();
    std::cout << api::parse_url(s) << '\n'
              << api::parse_query(s) << '\n'
              << api::extract_campaign(s) << '\n';
  }
  for (const auto& r : cases["referrers"]) {
    std::cout << api::classify_referrer(r[0].get<std::string>(),
                                        r[1].get<std::string>())
              << '\n';
  }
  for (const auto& r : cases["referrers"]) {
    const auto t = loopkit::wasm::classify_visit(r[1].get<std::string>(),
                                                 r[0].get<std::string>());
    std::cout << loopkit::dump(json::array(
                     {json::array({"source", "medium", "channel"}), t.source,
                      t.medium, t.channel}))
              << '\n';
  }
  for (const auto& e : cases["emails"]) {
    std::cout << loopkit::hash_email(e.get<std::string>()) << '\n';
  }
  for (const auto& b : cases["batches"]) {
    std::cout << api::decode_batch(b.get<std::string>()) << '\n';
  }
  for (const auto& s : cases["scores"]) {
    std::cout << loopkit::wasm::score_events(s[0].get<std::string>(),
                                             s[1].get<std::string>(),
                                             s[2].get<double>())
              << '\n';
  }

  // Tracker scripts: each starts a tracker and replays calls on it; the
  // second set exercises visitor ids, links, touches and CTA details.
  for (const char* set : {"scripts", "tracker_scripts"}) {
    for (const auto& script : cases[set]) run_script(script);
  }

  // Scoring: generated visitors, each scored by one of the models as of its
  // own clock; the long ones through a Scorer, as the benchmark runs them.
  const auto& models = cases["models"];
  for (const auto& h : cases["histories"]) {
    std::cout << loopkit::wasm::score_events(
                     models[h[0].get<std::size_t>()].get<std::string>(),
                     h[1].get<std::string>(), h[2].get<double>())
              << '\n';
  }
  for (const auto& h : cases["long_histories"]) {
    loopkit::wasm::js_scorer scorer(
        models[h[0].get<std::size_t>()].get<std::string>());
    std::cout << scorer.error() << '\n'
              << scorer.set_events(h[1].get<std::string>()) << '\n'
              << scorer.score(h[2].get<double>()) << '\n';
  }
  return 0;
}
