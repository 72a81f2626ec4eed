// The built-in referrer list and scoring model are compiled in, so the page
// parses no JSON to start; sites still write theirs in JSON. Each compiled
// default must be exactly what its JSON form loads to.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "referrer_data.h"
#include "loopkit/referrer.h"
#include "loopkit/scoring.h"

using nlohmann::json;

namespace {

std::vector<std::string> words(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const std::size_t end = std::min(list.find(' '), list.size());
    out.emplace_back(list.substr(0, end));
    list.remove_prefix(std::min(end + 1, list.size()));
  }
  return out;
}

// The referer-parser JSON form of the compiled list.
json referrers_json() {
  json doc = json::object();
  for (std::size_t i = 0; i < loopkit::detail::default_referrer_count; ++i) {
    const auto& r = loopkit::detail::default_referrers[i];
    json spec{{"domains", words(r.domains)}};
    if (*r.parameters != '\0') spec["parameters"] = words(r.parameters);
    json& medium = doc[loopkit::to_string(r.medium)];
    INFO(r.source);
    CHECK_FALSE(medium.contains(r.source));  // JSON could not hold it twice
    medium[r.source] = std::move(spec);
  }
  return doc;
}

// Host and path of a key: "google.com/imgres" -> "google.com", "/imgres".
std::pair<std::string_view, std::string_view> split_key(std::string_view key) {
  const std::size_t slash = std::min(key.find('/'), key.size());
  return {key.substr(0, slash), key.substr(slash)};
}

void check_same(const loopkit::condition& a, const loopkit::condition& b) {
  CHECK(a.field == b.field);
  CHECK(a.kind == b.kind);
  CHECK(a.values == b.values);
  CHECK(a.min == b.min);
  CHECK(a.max == b.max);
  CHECK(a.source == b.source);
  CHECK(a.props_path == b.props_path);
  CHECK(a.lead_field == b.lead_field);
  // A compiled pattern keeps no text; the two must match alike.
  for (const char* title :
       {"CEO", "Head of Growth", "vp, sales", "Co-Founder", "Chief of Staff",
        "Headhunter", "Developer", "Director", "cto/cfo", "", "vpn admin"}) {
    INFO(title);
    CHECK(a.regex.search(title) == b.regex.search(title));
  }
}

void check_same(const loopkit::score_part& a, const loopkit::score_part& b) {
  CHECK(a.max == b.max);
  CHECK(a.half_life_ms == b.half_life_ms);
  REQUIRE(a.levels.size() == b.levels.size());
  for (std::size_t i = 0; i < a.levels.size(); ++i) {
    CHECK(a.levels[i].name == b.levels[i].name);
    CHECK(a.levels[i].min == b.levels[i].min);
  }
  REQUIRE(a.rules.size() == b.rules.size());
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    const auto& x = a.rules[i];
    const auto& y = b.rules[i];
    INFO("rule " << x.id);
    CHECK(x.id == y.id);
    CHECK(x.description == y.description);
    CHECK(x.kind == y.kind);
    CHECK(x.points == y.points);
    CHECK(x.max == y.max);
    CHECK(x.event == y.event);
    CHECK(x.name == y.name);
    CHECK(x.count == y.count);
    CHECK(x.at_least == y.at_least);
    CHECK(x.within_ms == y.within_ms);
    CHECK(x.recency_ms == y.recency_ms);
    CHECK(x.email == y.email);
    CHECK(x.domains == y.domains);
    REQUIRE(x.where.size() == y.where.size());
    for (std::size_t j = 0; j < x.where.size(); ++j) {
      check_same(x.where[j], y.where[j]);
    }
    REQUIRE(x.fields.size() == y.fields.size());
    for (std::size_t j = 0; j < x.fields.size(); ++j) {
      check_same(x.fields[j], y.fields[j]);
    }
  }
}

}  // namespace

TEST_CASE("the built-in referrer list is what its JSON form loads to",
          "[referrer]") {
  const auto& built_in = loopkit::default_referrer_database();
  loopkit::referrer_database loaded;

  const auto ok = loopkit::load_referrer_database(referrers_json().dump(),
                                                  loaded);

  REQUIRE(ok);
  CHECK(loaded.size() == built_in.size());
  std::size_t keys = 0;
  for (std::size_t i = 0; i < loopkit::detail::default_referrer_count; ++i) {
    const auto& r = loopkit::detail::default_referrers[i];
    for (const std::string& key : words(r.domains)) {
      ++keys;
      INFO(key);
      const auto [host, path] = split_key(key);
      const auto* mine = built_in.find(host, path);
      const auto* theirs = loaded.find(host, path);
      REQUIRE(mine != nullptr);
      REQUIRE(theirs != nullptr);
      CHECK(mine->source == r.source);  // its own entry, not a parent's
      CHECK(mine->medium == r.medium);
      CHECK(theirs->source == mine->source);
      CHECK(theirs->medium == mine->medium);
      CHECK(theirs->term_params == mine->term_params);
      CHECK(mine->term_params == words(r.parameters));
    }
  }
  CHECK(keys == built_in.size());  // no key listed twice
}

TEST_CASE("the built-in scoring model is what its JSON text loads to",
          "[scoring]") {
  const auto& built_in = loopkit::default_scoring_model();

  const auto loaded =
      loopkit::load_scoring_model(loopkit::default_scoring_model_json());

  REQUIRE(loaded);
  CHECK(built_in.version == loaded->version);
  check_same(built_in.fit, loaded->fit);
  check_same(built_in.engagement, loaded->engagement);
  CHECK(built_in.free_mail_domains == loaded->free_mail_domains);
  CHECK(built_in.disposable_domains == loaded->disposable_domains);
  REQUIRE(built_in.statuses.size() == loaded->statuses.size());
  for (std::size_t i = 0; i < built_in.statuses.size(); ++i) {
    const auto& a = built_in.statuses[i];
    const auto& b = loaded->statuses[i];
    CHECK(a.status == b.status);
    CHECK(a.grade == b.grade);
    CHECK(a.stage == b.stage);
    CHECK(a.fit_min == b.fit_min);
    CHECK(a.engagement_min == b.engagement_min);
  }
}

TEST_CASE("the built-in scoring model scores a lead as its JSON text does",
          "[scoring]") {
  constexpr std::int64_t t0 = 1764000000000;
  std::vector<loopkit::event> events(4);
  events[0].type = loopkit::event_type::page_view;
  events[0].page.path = "/pricing/teams";
  events[1].type = loopkit::event_type::cta_click;
  events[2].type = loopkit::event_type::discount_code;
  events[3].type = loopkit::event_type::lead;
  events[3].props = {{"form", "signup"},
                     {"email_domain", "acme.test"},
                     {"fields", {{"job_title", "Head of Sales"}}}};
  for (std::size_t i = 0; i < events.size(); ++i) {
    events[i].id = "e" + std::to_string(i);
    events[i].time = t0 - 1000 * static_cast<std::int64_t>(i);
  }
  const auto loaded =
      loopkit::load_scoring_model(loopkit::default_scoring_model_json());
  REQUIRE(loaded);

  const auto mine =
      loopkit::score_events(loopkit::default_scoring_model(), events, t0);
  const auto theirs = loopkit::score_events(*loaded, events, t0);

  CHECK(loopkit::to_json(mine) == loopkit::to_json(theirs));
  // 20 + 10 fit, 15 + 5 + 10 + 30 engagement: grade A, hot, an MQL.
  CHECK(mine.fit == 3000);
  CHECK(mine.engagement == 6000);
  CHECK(mine.status == "mql");
}
