#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_data.h"
#include "loopkit/scoring.h"

using loopkit::testing::load_test_data;

using loopkit::centipoints;
using loopkit::event;
using loopkit::event_type;
using loopkit::load_scoring_model;
using nlohmann::json;

namespace {

constexpr std::int64_t t0 = 1764000000000;
constexpr std::int64_t minute = 60 * 1000;
constexpr std::int64_t hour = 60 * minute;
constexpr std::int64_t day = 24 * hour;

constexpr centipoints points(double whole) {
  return static_cast<centipoints>(whole * loopkit::centi_per_point);
}

struct scoring_fixture {
  std::vector<event> events;

  event& add(event_type type, std::int64_t time,
             const std::string& path = "/") {
    event e;
    e.id = "e" + std::to_string(events.size());
    e.type = type;
    e.time = time;
    e.visitor_id = "v";
    e.session_id = "s";
    e.page.path = path;
    events.push_back(e);
    return events.back();
  }

  event& add_lead(std::int64_t time, json fields,
                  const std::string& domain = "") {
    event& e = add(event_type::lead, time);
    e.props = {{"form", "signup"}, {"fields", std::move(fields)}};
    if (!domain.empty()) e.props["email_domain"] = domain;
    return e;
  }

  static loopkit::scoring_model model(const std::string& text) {
    auto m = load_scoring_model(text);
    INFO((m ? "" : m.error().path + ": " + m.error().message));
    REQUIRE(m);
    return *m;
  }

  // A version 2 model with one part holding the given rules.
  static loopkit::scoring_model engagement(const std::string& rules,
                                           const std::string& extra = "") {
    return model(R"({"version": 2, "engagement": {)" + extra + R"("rules": [)" +
                 rules + "]}}");
  }
  static loopkit::scoring_model fit(const std::string& rules) {
    return model(R"({"version": 2, "fit": {"rules": [)" + rules + "]}}");
  }

  loopkit::lead_score score(const loopkit::scoring_model& m,
                            std::int64_t now = t0) const {
    return loopkit::score_events(m, events, now);
  }
};

const loopkit::score_reason* reason(const loopkit::lead_score& s,
                                    const std::string& rule) {
  for (const auto& r : s.reasons) {
    if (r.rule == rule) return &r;
  }
  return nullptr;
}

}  // namespace

// ---- event rules ----------------------------------------------------------

TEST_CASE_METHOD(scoring_fixture,
                 "an each rule scores every matching event and a once rule "
                 "the latest",
                 "[scoring]") {
  const auto m = engagement(R"(
      {"id": "cta", "description": "Clicked", "event": "cta_click",
       "points": 5},
      {"id": "lead", "event": "lead", "count": "once", "points": 30})");
  add(event_type::cta_click, t0 - 3);
  add(event_type::cta_click, t0 - 2);
  add(event_type::page_view, t0 - 2);
  add(event_type::lead, t0 - 1);
  add(event_type::lead, t0);

  const auto s = score(m);

  CHECK(s.engagement == points(40));
  CHECK(s.fit == 0);
  CHECK(s.points == points(40));
  REQUIRE(s.reasons.size() == 2);
  CHECK(s.reasons[0].rule == "cta");
  CHECK(s.reasons[0].description == "Clicked");
  CHECK(s.reasons[0].score == loopkit::score_kind::engagement);
  CHECK(s.reasons[0].points == points(10));
  CHECK(s.reasons[0].count == 2);
  CHECK(s.reasons[0].events == std::vector<std::string>{"e1", "e0"});
  CHECK(s.reasons[1].points == points(30));
  CHECK(s.reasons[1].count == 2);
  CHECK(s.reasons[1].events == std::vector<std::string>{"e4"});
}

TEST_CASE_METHOD(scoring_fixture,
                 "an at-least rule scores once when enough events fall in "
                 "one window",
                 "[scoring]") {
  const auto m = engagement(R"(
      {"id": "binge", "event": "page_view",
       "count": {"at_least": 3, "within": "1h"}, "points": 10})");
  add(event_type::page_view, t0 - 5 * hour);
  add(event_type::page_view, t0 - 3 * hour);
  add(event_type::page_view, t0 - 2 * hour);
  add(event_type::cta_click, t0 - 2 * hour);

  CHECK(score(m).reasons.empty());  // three views, but over three hours

  add(event_type::page_view, t0 - hour - 1);
  add(event_type::page_view, t0 - hour);  // exactly 1h after e2: still in

  const auto s = score(m);

  CHECK(s.engagement == points(10));
  REQUIRE(s.reasons.size() == 1);
  CHECK(s.reasons[0].count == 5);
  CHECK(s.reasons[0].events == std::vector<std::string>{"e5", "e4", "e2"});
}

TEST_CASE_METHOD(scoring_fixture,
                 "event conditions read paths, touches and props",
                 "[scoring]") {
  const auto m = engagement(R"(
      {"id": "pricing", "event": "page_view",
       "where": {"page.path": {"prefix": "/PRICING"}}, "count": "once",
       "points": 15},
      {"id": "email", "where": {"touch.channel": "email"}, "count": "once",
       "points": 10},
      {"id": "hero", "event": "cta_click",
       "where": {"props.cta": {"one_of": ["hero-trial", "nav-trial"]}},
       "points": 5},
      {"id": "watched", "event": "track", "name": "video_play",
       "where": {"props.video.seconds": {"range": {"min": 30}}},
       "points": 3},
      {"id": "searched",
       "where": {"touch.referrer.medium": "search",
                 "touch.referrer.term": {"contains": "invoic"}},
       "count": "once", "points": 2},
      {"id": "spring", "event": "discount_code",
       "where": {"props.code": {"regex": "^spring[0-9]+$"}}, "points": 4})");
  add(event_type::page_view, t0, "/pricing/teams");
  add(event_type::page_view, t0, "/about").touch.channel = "Email";
  add(event_type::cta_click, t0).props = {{"cta", "Hero-Trial"}};
  add(event_type::cta_click, t0).props = {{"cta", "footer"}};
  auto& video = add(event_type::track, t0);
  video.name = "video_play";
  video.props = {{"video", {{"seconds", 45}}}};
  auto& short_video = add(event_type::track, t0);
  short_video.name = "video_play";
  short_video.props = {{"video", {{"seconds", "12"}}}};
  auto& searched = add(event_type::page_view, t0);
  searched.touch.referrer.medium = loopkit::referrer_medium::search;
  searched.touch.referrer.term = "Invoicing software";
  add(event_type::discount_code, t0).props = {{"code", "SPRING20"}};
  add(event_type::discount_code, t0).props = {{"code", "SPRING"}};

  const auto s = score(m);

  CHECK(s.engagement == points(15 + 10 + 5 + 3 + 2 + 4));
  CHECK(reason(s, "hero")->events == std::vector<std::string>{"e2"});
  CHECK(reason(s, "watched")->events == std::vector<std::string>{"e4"});
  CHECK(reason(s, "searched")->events == std::vector<std::string>{"e6"});
  CHECK(reason(s, "spring")->events == std::vector<std::string>{"e7"});
}

TEST_CASE_METHOD(scoring_fixture, "status changes are never scored",
                 "[scoring]") {
  const auto m = engagement(R"({"id": "anything", "points": 1})");
  add(event_type::status_change, t0);
  add(event_type::page_view, t0);

  CHECK(score(m).engagement == points(1));
}

TEST_CASE_METHOD(scoring_fixture,
                 "the order of the events does not change the score",
                 "[scoring]") {
  const auto m = model(R"({"version": 2,
      "fit": {"rules": [{"id": "t", "fields": {"job_title": "CTO"},
                         "points": 20}]},
      "engagement": {"half_life": "1d", "rules": [
        {"id": "v", "event": "page_view", "count": "once", "points": 10},
        {"id": "b", "count": {"at_least": 2, "within": "1h"},
         "points": 7}]}})");
  add(event_type::page_view, t0 - 3 * day);
  add_lead(t0 - 2 * day, {{"job_title", "Intern"}});
  add(event_type::page_view, t0 - day);
  add_lead(t0 - 5 * hour, {{"job_title", "CTO"}});
  const std::string ordered = loopkit::dump(loopkit::to_json(score(m)));

  std::reverse(events.begin(), events.end());

  CHECK(loopkit::dump(loopkit::to_json(score(m))) == ordered);
  CHECK(score(m).fit == points(20));
}

// ---- lead fields and email ------------------------------------------------

TEST_CASE_METHOD(scoring_fixture,
                 "field rules test the latest value of each lead field",
                 "[scoring]") {
  const auto m = fit(R"m(
      {"id": "senior", "fields": {"job_title":
        {"regex": "(^|\\W)(vp|head|chief|c[etfo]o)(\\W|$)"}}, "points": 20},
      {"id": "size", "fields": {"company_size": {"range": {"min": 11,
                                                           "max": 200}}},
       "points": 15},
      {"id": "dach", "fields": {"country": {"one_of": ["DE", "AT", "CH"]}},
       "points": 5},
      {"id": "agency", "fields": {"company": {"contains": "agency"},
                                  "job_title": {"prefix": "vp"}},
       "points": 7},
      {"id": "named", "fields": {"name": "ada"}, "points": 1})m");
  add_lead(t0 - 2, {{"job_title", "Intern"},
                    {"company_size", "51-200"},
                    {"company", "Big Agency"},
                    {"name", "Ada"}});
  add_lead(t0 - 1, {{"job_title", "VP Sales"}, {"company_size", ""}});

  const auto s = score(m);

  CHECK(s.fit == points(20 + 15 + 7 + 1));
  CHECK(reason(s, "senior")->events == std::vector<std::string>{"e1"});
  CHECK(reason(s, "size")->events == std::vector<std::string>{"e0"});
  CHECK(reason(s, "agency")->events == std::vector<std::string>{"e1", "e0"});
  CHECK(reason(s, "dach") == nullptr);  // no country given
}

TEST_CASE_METHOD(scoring_fixture,
                 "a numeric range reads the number a text starts with",
                 "[scoring]") {
  const auto m = fit(R"({"id": "size", "fields": {"company_size":
      {"range": {"min": 50, "max": 1000}}}, "points": 1})");
  const auto scores = [&](const std::string& size) {
    events.clear();
    add_lead(t0, {{"company_size", size}});
    return score(m).fit == points(1);
  };

  CHECK(scores("50"));
  CHECK(scores("51-200"));
  CHECK(scores("1,000+"));
  CHECK(scores(" 200 employees"));
  CHECK_FALSE(scores("1,001"));
  CHECK_FALSE(scores("11-50"));
  CHECK_FALSE(scores("about 100"));
  CHECK_FALSE(scores("99999999999999999999"));
}

TEST_CASE("an email's domain is the part after the last @, lower-cased",
          "[scoring]") {
  CHECK(loopkit::email_domain(" Jane@Example.COM ") == "example.com");
  CHECK(loopkit::email_domain("\"a@b\"@Corp.Test.") == "corp.test");
  CHECK(loopkit::email_domain("no-at-sign") == "");
  CHECK(loopkit::email_domain("trailing@") == "");
}

TEST_CASE("email domains are free mail, disposable or corporate", "[scoring]") {
  const auto m = scoring_fixture::model(R"({"version": 2, "email_domains": {
      "free_mail": ["Freebie.Test"], "disposable": ["burner.test"]}})");
  using loopkit::email_class;
  const auto of = [&](const char* domain) {
    return loopkit::classify_email_domain(domain, m);
  };

  CHECK(of("gmail.com") == email_class::free_mail);
  CHECK(of("freebie.test") == email_class::free_mail);
  CHECK(of("mailinator.com") == email_class::disposable);
  CHECK(of("eu.mailinator.com") == email_class::disposable);
  CHECK(of("x.burner.test") == email_class::disposable);
  CHECK(of("acme.test") == email_class::corporate);
  CHECK(of("notgmail.com") == email_class::corporate);
  CHECK(loopkit::classify_email_domain("freebie.test",
                                       loopkit::default_scoring_model()) ==
        email_class::corporate);
}

TEST_CASE_METHOD(scoring_fixture,
                 "email rules score the domain of the lead's address",
                 "[scoring]") {
  const auto m = fit(R"(
      {"id": "work", "email": "corporate", "points": 10},
      {"id": "free", "email": "free_mail", "points": -10},
      {"id": "burner", "email": "disposable", "points": -40},
      {"id": "rival", "email": {"domains": ["Rival.Example"]},
       "points": -100})");
  const auto fit_for = [&](const std::string& domain) {
    events.clear();
    add_lead(t0, json::object(), domain);
    return score(m).fit;
  };

  CHECK(fit_for("acme.test") == points(10));
  CHECK(fit_for("GMAIL.com") == 0);  // -10, floored at zero
  CHECK(fit_for("sales.rival.example") == 0);
  CHECK(reason(score(m), "rival")->points == points(-100));
  CHECK(reason(score(m), "work")->points == points(10));
  fit_for("notrival.example");
  CHECK(reason(score(m), "rival") == nullptr);
  CHECK(fit_for("") == 0);
  CHECK(score(m).reasons.empty());
}

// ---- recency, caps, floor --------------------------------------------------

TEST_CASE_METHOD(scoring_fixture,
                 "recency points last while the latest matching event is "
                 "newer than the limit",
                 "[scoring]") {
  const auto m = engagement(R"(
      {"id": "active", "recency": "7d", "points": 5},
      {"id": "pricing_lately", "recency": "1d", "event": "page_view",
       "where": {"page.path": "/pricing"}, "points": 8})");
  add(event_type::page_view, t0, "/pricing");
  add(event_type::cta_click, t0 + 2 * day);

  const auto soon = score(m, t0 + 2 * day);
  const auto later = score(m, t0 + 9 * day - 1);
  const auto gone = score(m, t0 + 9 * day);

  CHECK(soon.engagement == points(5));
  CHECK(reason(soon, "active")->events == std::vector<std::string>{"e1"});
  CHECK(score(m, t0 + day - 1).engagement == points(13));
  CHECK(later.engagement == points(5));
  CHECK(gone.engagement == 0);
}

TEST_CASE_METHOD(scoring_fixture,
                 "caps limit a rule and a score, and a score never goes "
                 "below zero",
                 "[scoring]") {
  const auto capped = model(R"({"version": 2, "engagement": {"max": 20,
      "rules": [{"id": "cta", "event": "cta_click", "points": 5, "max": 12},
                {"id": "view", "event": "page_view", "points": 4}]}})");
  const auto negative = engagement(R"(
      {"id": "careers", "where": {"page.path": "/careers"}, "points": -40},
      {"id": "view", "event": "page_view", "points": 4})");
  for (int i = 0; i < 3; ++i) add(event_type::cta_click, t0);
  for (int i = 0; i < 3; ++i) add(event_type::page_view, t0, "/careers");

  const auto s = score(capped);
  const auto n = score(negative);

  CHECK(reason(s, "cta")->points == points(12));
  CHECK(reason(s, "cta")->before_decay == points(12));
  CHECK(reason(s, "view")->points == points(12));
  CHECK(s.engagement == points(20));
  CHECK(reason(n, "careers")->points == points(-120));
  CHECK(n.engagement == 0);
}

// ---- decay -----------------------------------------------------------------

TEST_CASE("decay halves exactly at each whole half-life", "[scoring]") {
  constexpr std::int64_t half_life = 30 * day;

  CHECK(loopkit::decay(1500, 0, half_life) == 1500);
  CHECK(loopkit::decay(1500, half_life, half_life) == 750);
  CHECK(loopkit::decay(1500, 2 * half_life, half_life) == 375);
  CHECK(loopkit::decay(1500, 3 * half_life, half_life) == 188);  // 187.5
  CHECK(loopkit::decay(-1500, 3 * half_life, half_life) == -188);
  CHECK(loopkit::decay(10000, half_life / 2, half_life) == 7071);  // 2^-0.5
  CHECK(loopkit::decay(1500, 60 * half_life, half_life) == 0);
  CHECK(loopkit::decay(1500, -day, half_life) == 1500);  // a clock ahead
  CHECK(loopkit::decay(1500, day, 0) == 1500);           // no half-life
}

TEST_CASE("decay never rises with age and stays within 0.002% of 2^-x",
          "[scoring]") {
  constexpr std::int64_t half_life = 7 * day;
  constexpr centipoints value = 1000000;  // the largest a rule can give
  centipoints previous = value;

  for (std::int64_t age = 0; age <= 3 * half_life; age += half_life / 997) {
    const centipoints now = loopkit::decay(value, age, half_life);
    const double exact =
        value * std::exp2(-static_cast<double>(age) / half_life);

    CHECK(now <= previous);
    CHECK(std::abs(now - exact) <= value * 0.00002 + 0.5);
    previous = now;
  }
}

TEST_CASE_METHOD(scoring_fixture,
                 "engagement decays from each event's own time, and reasons "
                 "show the points before decay",
                 "[scoring]") {
  const auto m = engagement(
      R"({"id": "view", "event": "page_view", "points": 15},
         {"id": "pricing", "where": {"page.path": "/pricing"},
          "count": "once", "points": 20})",
      R"("half_life": "30d", )");
  add(event_type::page_view, t0 - 60 * day, "/pricing");
  add(event_type::page_view, t0 - 30 * day);
  add(event_type::page_view, t0);

  const auto s = score(m);
  const auto a_year_on = score(m, t0 + 365 * day);

  const auto* view = reason(s, "view");
  REQUIRE(view != nullptr);
  CHECK(view->points == points(15 + 7.5 + 3.75));
  CHECK(view->before_decay == points(45));
  CHECK(reason(s, "pricing")->points == points(5));  // two half-lives
  CHECK(s.engagement == points(31.25));
  CHECK(loopkit::dump(loopkit::to_json(s)["engagement"]) == "31.25");
  // After 12 half-lives and more, each event's part rounds to 0.00.
  CHECK(a_year_on.engagement == 0);
  CHECK(reason(a_year_on, "view")->before_decay == points(45));
}

TEST_CASE_METHOD(scoring_fixture, "fit points never decay", "[scoring]") {
  const auto m = model(R"({"version": 2,
      "fit": {"half_life": "1d", "rules": [
        {"id": "cto", "fields": {"job_title": "CTO"}, "points": 20}]}})");
  add_lead(t0, {{"job_title", "CTO"}});

  CHECK(score(m, t0 + 300 * day).fit == points(20));
}

// ---- grades, stages, statuses ----------------------------------------------

TEST_CASE_METHOD(scoring_fixture,
                 "grades, stages and statuses follow the thresholds",
                 "[scoring]") {
  const auto m = model(R"({"version": 2,
      "fit": {"rules": [{"id": "cto", "fields": {"job_title": "CTO"},
                         "points": 40},
                        {"id": "vp", "fields": {"job_title": "VP"},
                         "points": 25}],
              "grades": [{"grade": "B", "min": 25}, {"grade": "A", "min": 40},
                         {"grade": "C", "min": 10}]},
      "engagement": {"rules": [{"id": "view", "event": "page_view",
                                "points": 10}],
                     "stages": [{"stage": "warm", "min": 20},
                                {"stage": "hot", "min": 50},
                                {"stage": "cold", "min": 0}]},
      "statuses": [{"status": "sql", "grade": "A", "stage": "hot"},
                   {"status": "mql", "grade": "B", "stage": "warm"},
                   {"status": "engaged", "stage": "hot"}]})");
  const auto with = [&](const char* title, int views) {
    events.clear();
    add_lead(t0, {{"job_title", title}});
    for (int i = 0; i < views; ++i) add(event_type::page_view, t0);
    return score(m);
  };

  const auto below = with("Intern", 0);
  CHECK(below.grade == "");
  CHECK(below.stage == "cold");
  CHECK(below.status == "");

  const auto mql = with("VP", 2);
  CHECK(mql.grade == "B");
  CHECK(mql.stage == "warm");
  CHECK(mql.status == "mql");

  CHECK(with("CTO", 5).status == "sql");
  CHECK(with("CTO", 4).status == "mql");
  CHECK(with("Intern", 5).status == "engaged");
  CHECK(with("CTO", 1).status == "");
}

// ---- model loading ---------------------------------------------------------

TEST_CASE("model mistakes are reported with their JSON path and reason",
          "[scoring]") {
  const json rows = load_test_data("scoring_model_errors.json");
  REQUIRE(rows.size() > 60);

  for (const auto& row : rows) {
    if (row.is_string()) continue;
    const auto& spec = row["model"];
    const std::string text =
        spec.is_string() ? spec.get<std::string>() : spec.dump();

    const auto m = load_scoring_model(text);

    INFO(text);
    REQUIRE_FALSE(m);  // error() is read below
    CHECK(m.error().path == row["path"].get<std::string>());
    CHECK(m.error().message == row["message"].get<std::string>());
  }
}

TEST_CASE(
    "a version 1 model loads as engagement rules with its grades as "
    "stages",
    "[scoring]") {
  const auto m = scoring_fixture::model(R"({"version": 1, "rules": [
      {"id": "pricing", "event": "page_view",
       "where": {"page.path": {"prefix": "/pricing"}}, "points": 15,
       "once": true},
      {"id": "cta", "event": "cta_click", "points": 5}],
      "grades": [{"grade": "A", "min": 20}, {"grade": "B", "min": 0}]})");
  scoring_fixture f;
  f.add(event_type::page_view, t0, "/pricing");
  f.add(event_type::page_view, t0, "/pricing/teams");
  f.add(event_type::cta_click, t0 - 400 * day);

  const auto s = f.score(m);

  CHECK(m.version == 1);
  CHECK(m.fit.rules.empty());
  CHECK(m.engagement.half_life_ms == 0);
  CHECK(s.engagement == points(20));
  CHECK(s.stage == "A");
  CHECK(s.grade == "");
  CHECK(reason(s, "pricing")->count == 2);
}

TEST_CASE("the default model loads and grades an empty history", "[scoring]") {
  const auto& m = loopkit::default_scoring_model();

  const auto s = loopkit::score_events(m, {}, t0);

  CHECK(m.version == 2);
  CHECK(m.fit.rules.size() == 4);
  CHECK(m.engagement.rules.size() == 4);
  CHECK(m.engagement.half_life_ms == 0);
  CHECK(s.points == 0);
  CHECK(s.grade == "D");
  CHECK(s.stage == "cold");
  CHECK(s.status == "");
  CHECK(s.reasons.empty());
}

// ---- JSON ------------------------------------------------------------------

TEST_CASE("points print whole when whole and with decimals otherwise",
          "[scoring]") {
  CHECK(loopkit::points_json(9500).dump() == "95");
  CHECK(loopkit::points_json(750).dump() == "7.5");
  CHECK(loopkit::points_json(375).dump() == "3.75");
  CHECK(loopkit::points_json(-1).dump() == "-0.01");
  CHECK(loopkit::points_json(0).dump() == "0");
}

TEST_CASE("a score serializes with its reasons", "[scoring]") {
  loopkit::lead_score s;
  s.points = 4750;
  s.fit = 3500;
  s.engagement = 1250;
  s.grade = "B";
  s.stage = "cold";
  s.reasons.push_back({"cta",
                       "Clicked",
                       loopkit::score_kind::engagement,
                       1250,
                       1500,
                       3,
                       {"e3", "e2"}});

  CHECK(loopkit::dump(loopkit::to_json(s)) ==
        R"({"engagement":12.5,"fit":35,"grade":"B","points":47.5,)"
        R"("reasons":[{"before_decay":15,"count":3,"description":"Clicked",)"
        R"("events":["e3","e2"],"points":12.5,"rule":"cta",)"
        R"("score":"engagement"}],"stage":"cold","status":""})");
}
