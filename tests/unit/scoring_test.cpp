#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "loopkit/scoring.h"

using loopkit::event;
using loopkit::event_type;
using loopkit::load_scoring_model;

namespace {

struct scoring_fixture {
  std::vector<event> events;

  event& add(event_type type, const std::string& path = "/") {
    event e;
    e.id = "e" + std::to_string(events.size());
    e.type = type;
    e.time = 1000 * static_cast<std::int64_t>(events.size());
    e.visitor_id = "v";
    e.session_id = "s";
    e.page.path = path;
    events.push_back(e);
    return events.back();
  }

  loopkit::scoring_model model(const std::string& text) {
    auto m = load_scoring_model(text);
    INFO((m ? "" : m.error().path + ": " + m.error().message));
    REQUIRE(m);
    return *m;
  }
};

const char* const grades = R"("grades": [{"grade": "A", "min": 50},
                                         {"grade": "B", "min": 20},
                                         {"grade": "C", "min": 0}])";

}  // namespace

TEST_CASE_METHOD(scoring_fixture, "points add up per rule with reasons",
                 "[scoring]") {
  const auto m = model(std::string(R"({"version": 1, "rules": [
      {"id": "cta", "description": "Clicked", "event": "cta_click",
       "points": 5},
      {"id": "lead", "event": "lead", "points": 30, "once": true}],)") +
                       grades + "}");
  add(event_type::cta_click);
  add(event_type::cta_click);
  add(event_type::page_view);
  add(event_type::lead);
  add(event_type::lead);

  const auto s = loopkit::score_events(m, events);

  CHECK(s.points == 40);
  CHECK(s.grade == "B");
  REQUIRE(s.reasons.size() == 2);
  CHECK(s.reasons[0].rule == "cta");
  CHECK(s.reasons[0].description == "Clicked");
  CHECK(s.reasons[0].points == 10);
  CHECK(s.reasons[0].count == 2);
  CHECK(s.reasons[1].rule == "lead");
  CHECK(s.reasons[1].points == 30);
  CHECK(s.reasons[1].count == 2);
}

TEST_CASE_METHOD(scoring_fixture, "property conditions match event fields",
                 "[scoring]") {
  const auto m = model(std::string(R"({"version": 1, "rules": [
      {"id": "pricing", "event": "page_view",
       "where": {"page.path": {"prefix": "/pricing"}}, "points": 15,
       "once": true},
      {"id": "email", "where": {"touch.campaign.medium": "EMAIL"},
       "points": 10, "once": true},
      {"id": "senior", "event": "lead",
       "where": {"props.fields.job_title": {"one_of": ["CEO", "Founder"]}},
       "points": 20},
      {"id": "agency", "event": "lead",
       "where": {"props.fields.company": {"contains": "agency"}},
       "points": 7}],)") + grades + "}");
  add(event_type::page_view, "/pricing/teams");
  add(event_type::page_view, "/pricing");
  add(event_type::page_view, "/about").touch.campaign.medium = "email";
  auto& lead = add(event_type::lead);
  lead.props = {{"fields", {{"job_title", "ceo"}, {"company", "Big Agency"}}}};

  const auto s = loopkit::score_events(m, events);

  CHECK(s.points == 15 + 10 + 20 + 7);
  CHECK(s.grade == "A");
  REQUIRE(s.reasons.size() == 4);
  CHECK(s.reasons[0].count == 2);
  CHECK(s.reasons[0].points == 15);
}

TEST_CASE_METHOD(scoring_fixture, "negative points never take a score below 0",
                 "[scoring]") {
  const auto m = model(std::string(R"({"version": 1, "rules": [
      {"id": "careers", "event": "page_view",
       "where": {"page.path": "/careers"}, "points": -40}],)") +
                       grades + "}");
  add(event_type::page_view, "/careers");

  const auto s = loopkit::score_events(m, events);

  CHECK(s.points == 0);
  CHECK(s.grade == "C");
  REQUIRE(s.reasons.size() == 1);
  CHECK(s.reasons[0].points == -40);
}

TEST_CASE_METHOD(scoring_fixture, "custom events match by name", "[scoring]") {
  const auto m = model(std::string(R"({"version": 1, "rules": [
      {"id": "video", "event": "track", "name": "video_play", "points": 3}],)") +
                       grades + "}");
  add(event_type::track).name = "video_play";
  add(event_type::track).name = "scroll";

  CHECK(loopkit::score_events(m, events).points == 3);
}

TEST_CASE("the default model loads and grades an empty history",
          "[scoring]") {
  const auto& m = loopkit::default_scoring_model();
  CHECK(m.rules.size() == 4);
  CHECK(m.grades.front().grade == "A");

  const auto s = loopkit::score_events(m, {});
  CHECK(s.points == 0);
  CHECK(s.grade == "D");
  CHECK(s.reasons.empty());
}

TEST_CASE("model mistakes are reported with their JSON path", "[scoring]") {
  const auto error_path = [](const std::string& text) {
    const auto m = load_scoring_model(text);
    return m ? std::string("(valid)") : m.error().path;
  };
  const std::string g = std::string(", ") + grades + "}";

  CHECK(error_path("{") == "");
  CHECK(error_path(R"({"version": 2, "rules": [])" + g) == "/version");
  CHECK(error_path(R"({"version": 1, "rules": [{"id": "a", "points": "5"}])" +
                   g) == "/rules/0/points");
  CHECK(error_path(R"({"version": 1, "rules": [{"id": "a", "points": 1,
                        "event": "purchase"}])" + g) == "/rules/0/event");
  CHECK(error_path(R"({"version": 1, "rules": [{"id": "a", "points": 1,
                        "where": {"page.path": {"regex": "x"}}}])" + g) ==
        "/rules/0/where/page.path/regex");
  CHECK(error_path(R"({"version": 1, "rules": [{"id": "a", "points": 1},
                        {"id": "a", "points": 2}])" + g) == "/rules/1/id");
  CHECK(error_path(R"({"version": 1, "rules": [{"id": "a", "points": 1,
                        "colour": "red"}])" + g) == "/rules/0/colour");
  CHECK(error_path(R"({"version": 1, "rules": [], "grades": [
                        {"grade": "A", "min": 10}, {"grade": "B", "min": 10}]})") ==
        "/grades/1/min");
  CHECK(error_path(R"({"version": 1, "rules": [], "grades": []})") ==
        "/grades");
}

TEST_CASE("a score serializes with its reasons", "[scoring]") {
  loopkit::lead_score s{12, "C", {{"cta", "Clicked", 12, 3}}};

  CHECK(loopkit::dump(loopkit::to_json(s)) ==
        R"({"grade":"C","points":12,"reasons":[{"count":3,"description":"Clicked","points":12,"rule":"cta"}]})");
}
