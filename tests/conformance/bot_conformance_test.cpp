// isbot's user-agent lists (peer-cases/isbot) through is_bot. Scoring
// follows peer-cases/README.md: recall over the crawler lists, false
// positives over browsers.yml, its "ZZZ" groups apart (either answer is
// acceptable there).
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "loopkit/bot.h"
#include "loopkit/text.h"
#include "peer_cases.h"

namespace lc = loopkit::conformance;
using nlohmann::json;

namespace {

constexpr const char* downloaded_lists[] = {
    "kikobeats.json", "matomo-org.json", "monperrus.json",
    "ua-parser-js.json"};

double percent(int part, int whole) {
  return whole == 0 ? 0.0 : 100.0 * part / whole;
}

// Scores a list: want_bot says which answer is right.
lc::tally score(const std::string& name,
                const std::vector<std::string>& agents, bool want_bot) {
  lc::tally t{name};
  for (const auto& ua : agents) {
    if (loopkit::is_bot(ua) == want_bot) {
      t.pass();
    } else {
      t.fail(lc::printable(ua));
    }
  }
  return t;
}

void print(const lc::tally& t, const char* what) {
  t.print(20);
  std::cout << "  " << what << ": " << percent(t.passed, t.run) << "%\n";
}

}  // namespace

TEST_CASE("isbot's crawlers are flagged and its browsers are not",
          "[conformance][bot]") {
  const auto browsers = lc::load_json("isbot/browsers.json");
  const auto crawlers = lc::load_json("isbot/crawlers.json");
  if (!browsers || !crawlers) return;
  REQUIRE(browsers->is_object());
  REQUIRE(crawlers->is_object());

  std::vector<std::string> people, zzz;
  std::set<std::string> browser_set;
  for (const auto& [group, agents] : browsers->items()) {
    const bool either = loopkit::starts_with(group, "ZZZ");
    for (const auto& ua : agents) {
      (either ? zzz : people).push_back(ua);
      browser_set.insert(ua);
    }
  }
  std::set<std::string> curated_set;
  for (const auto& [group, agents] : crawlers->items()) {
    for (const auto& ua : agents) curated_set.insert(ua);
  }
  const std::vector<std::string> curated(curated_set.begin(),
                                         curated_set.end());

  const auto bots = score("crawlers.json (distinct)", curated, true);
  const auto humans = score("browsers.json without ZZZ groups", people, false);
  const auto either = score("browsers.json ZZZ groups (informational)", zzz,
                            false);
  print(bots, "flagged");
  print(humans, "not flagged");
  print(either, "not flagged");

  CHECK(percent(bots.passed, bots.run) >= 99.0);
  CHECK(percent(humans.failed, humans.run) <= 0.5);
  CHECK(bots.run >= 600);
  CHECK(humans.run >= 500);
}

TEST_CASE("the downloaded crawler lists are flagged", "[conformance][bot]") {
  const auto browsers = lc::load_json("isbot/browsers.json");
  if (!browsers) return;
  std::set<std::string> browser_set;
  for (const auto& [group, agents] : browsers->items()) {
    for (const auto& ua : agents) browser_set.insert(ua);
  }

  // isbot's own filter when it builds its crawler set: no comments, no
  // UCWeb or Cubot strings, nothing it lists as a browser, under 4,000
  // characters.
  const auto keep = [&](const std::string& ua) {
    const std::string lower = loopkit::ascii_lower(ua);
    return !loopkit::starts_with(ua, "#") &&
           lower.find("ucweb") == std::string::npos &&
           lower.find("cubot") == std::string::npos &&
           browser_set.count(ua) == 0 && ua.size() < 4000;
  };
  std::set<std::string> all;
  int total_run = 0, total_passed = 0;
  for (const char* file : downloaded_lists) {
    const auto list = lc::load_json(std::string("isbot/downloaded/") + file);
    if (!list) return;
    REQUIRE(list->is_array());
    std::vector<std::string> agents;
    int dropped = 0;
    for (const auto& ua : *list) {
      if (!ua.is_string()) continue;
      if (keep(ua)) {
        agents.push_back(ua);
        all.insert(ua);
      } else {
        ++dropped;
      }
    }
    auto t = score(std::string("downloaded/") + file, agents, true);
    for (int i = 0; i < dropped; ++i) t.skip("isbot's filter");
    print(t, "flagged");
    total_run += t.run;
    total_passed += t.passed;
  }

  const auto distinct = score("downloaded lists, distinct",
                              std::vector<std::string>(all.begin(), all.end()),
                              true);
  print(distinct, "flagged");
  CHECK(percent(distinct.passed, distinct.run) >= 99.0);
  CHECK(distinct.run >= 3000);
}
