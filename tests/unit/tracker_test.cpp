#include <catch2/catch.hpp>

#include <string>

#include "loopkit/sha256.h"
#include "loopkit/tracker.h"

using loopkit::tracker;
using nlohmann::json;

namespace {

constexpr std::int64_t t0 = 1764000000000;
constexpr std::int64_t minute = 60 * 1000;

struct tracker_fixture {
  tracker t{loopkit::tracker_config{}, 1, 2};

  std::vector<loopkit::event> drain() { return t.take_outbox(); }
};

}  // namespace

TEST_CASE_METHOD(tracker_fixture,
                 "a landing page view carries the campaign and referrer",
                 "[tracker]") {
  t.page_view(
      "https://shop.test/?utm_source=newsletter&utm_medium=email&utm_campaign="
      "spring_launch&discount=SPRING20",
      "https://www.google.com/search?q=invoicing", "Home", t0);

  const auto events = drain();

  REQUIRE(events.size() == 2);
  const auto& pv = events[0];
  CHECK(pv.type == loopkit::event_type::page_view);
  CHECK(pv.visitor_id == t.visitor_id());
  CHECK(pv.session_id == t.session_id());
  CHECK(pv.page.path == "/");
  CHECK(pv.page.title == "Home");
  CHECK(pv.touch.campaign.source == "newsletter");
  CHECK(pv.touch.campaign.name == "spring_launch");
  CHECK(pv.touch.referrer.medium == loopkit::referrer_medium::search);
  CHECK(pv.touch.referrer.term == "invoicing");
  const auto& code = events[1];
  CHECK(code.type == loopkit::event_type::discount_code);
  CHECK(code.props == json{{"code", "SPRING20"}, {"via", "url"}});
  CHECK(pv.id != code.id);
}

TEST_CASE_METHOD(tracker_fixture, "the same seed gives the same ids",
                 "[tracker]") {
  tracker other{loopkit::tracker_config{}, 1, 2};
  tracker different{loopkit::tracker_config{}, 1, 3};

  CHECK(t.visitor_id() == other.visitor_id());
  CHECK(t.visitor_id() != different.visitor_id());
  CHECK(t.visitor_id().size() == 36);
  CHECK(t.visitor_id()[14] == '4');
}

TEST_CASE_METHOD(tracker_fixture,
                 "internal navigation keeps the session and its touch",
                 "[tracker]") {
  t.page_view("https://shop.test/?utm_source=news&utm_medium=email", "",
              "Home", t0);
  const std::string session = t.session_id();
  t.page_view("https://shop.test/pricing", "https://shop.test/", "Pricing",
              t0 + 5 * minute);

  const auto events = drain();

  REQUIRE(events.size() == 2);
  CHECK(events[1].session_id == session);
  CHECK(events[1].touch.campaign.source == "news");
  CHECK(events[1].page.path == "/pricing");
  CHECK(events[1].page.referrer == "https://shop.test/");
}

TEST_CASE_METHOD(tracker_fixture,
                 "inactivity, a new campaign or a new referrer start a session",
                 "[tracker]") {
  t.page_view("https://shop.test/", "", "Home", t0);
  const std::string first = t.session_id();

  t.page_view("https://shop.test/a", "https://shop.test/", "A", t0 + 29 * minute);
  CHECK(t.session_id() == first);

  t.page_view("https://shop.test/b", "https://shop.test/", "B",
              t0 + 60 * minute);
  const std::string second = t.session_id();
  CHECK(second != first);

  t.page_view("https://shop.test/?utm_source=ads&utm_medium=cpc", "", "C",
              t0 + 61 * minute);
  const std::string third = t.session_id();
  CHECK(third != second);

  t.page_view("https://shop.test/", "https://www.linkedin.com/", "D",
              t0 + 62 * minute);
  CHECK(t.session_id() != third);
}

TEST_CASE_METHOD(tracker_fixture,
                 "a lead's email is hashed and only allowed fields kept",
                 "[tracker]") {
  t.page_view("https://shop.test/", "", "Home", t0);
  drain();

  const auto e = t.record(
      "lead", "",
      json{{"form", "signup"},
           {"email", "  Jane.Doe@Example.com "},
           {"fields",
            {{"name", "Jane"},
             {"job_title", "CEO"},
             {"password", "hunter2"},
             {"card_number", "4111111111111111"}}}},
      t0 + 1000);

  REQUIRE(e);
  CHECK(e->props["email_sha256"] == loopkit::sha256_hex("jane.doe@example.com"));
  CHECK_FALSE(e->props.contains("email"));
  CHECK(e->props["fields"] == json{{"name", "Jane"}, {"job_title", "CEO"}});
  CHECK(e->props["form"] == "signup");
  CHECK(e->props["score"] == 30);
  CHECK(e->props["grade"] == "C");
  const std::string state = t.state_json();
  CHECK(state.find("Jane.Doe") == std::string::npos);
  CHECK(state.find("hunter2") == std::string::npos);
}

TEST_CASE_METHOD(tracker_fixture,
                 "the same discount code twice in a session is one event",
                 "[tracker]") {
  t.page_view("https://shop.test/?coupon=SAVE10", "", "Home", t0);

  const auto again = t.record("discount_code", "",
                              json{{"code", "save10"}, {"via", "input"}},
                              t0 + 1000);
  const auto other = t.record("discount_code", "",
                              json{{"code", "WELCOME"}, {"via", "input"}},
                              t0 + 2000);

  REQUIRE_FALSE(again);
  CHECK(again.error().message == "code already recorded in this session");
  REQUIRE(other);
  CHECK(drain().size() == 3);
  CHECK(t.fill_values()["discount_code"] == "WELCOME");
}

TEST_CASE_METHOD(tracker_fixture, "bad calls are refused with a reason",
                 "[tracker]") {
  CHECK(t.record("purchase", "", json::object(), t0).error().path == "/type");
  CHECK(t.record("page_view", "", json::object(), t0).error().path == "/type");
  CHECK(t.record("cta_click", "", json::object(), t0).error().path ==
        "/props/cta");
  CHECK(t.record("track", "", json::object(), t0).error().path == "/name");
  CHECK(t.record("cta_click", "", json::array(), t0).error().path == "/props");
  CHECK(drain().empty());
}

TEST_CASE_METHOD(tracker_fixture, "the live score follows the events",
                 "[tracker]") {
  t.page_view("https://shop.test/pricing", "", "Pricing", t0);
  REQUIRE(t.record("cta_click", "", json{{"cta", "hero"}, {"text", " Start "}},
                   t0 + 1000));

  const auto s = t.score();

  CHECK(s.points == 20);
  CHECK(s.grade == "C");
  REQUIRE(s.reasons.size() == 2);
  CHECK(s.reasons[0].rule == "visited_pricing");
  CHECK(s.reasons[1].rule == "clicked_cta");
  CHECK(t.fill_values()["lead_score"] == 20);
}

TEST_CASE_METHOD(tracker_fixture, "hidden-field values come from the touch",
                 "[tracker]") {
  t.page_view(
      "https://shop.test/?utm_source=newsletter&utm_medium=email&utm_campaign="
      "spring&gclid=G1",
      "", "Home", t0);
  t.page_view("https://shop.test/signup", "https://shop.test/", "Signup",
              t0 + minute);

  const json v = t.fill_values();

  CHECK(v["utm_source"] == "newsletter");
  CHECK(v["utm_campaign"] == "spring");
  CHECK(v["gclid"] == "G1");
  CHECK(v["fbclid"] == "");
  CHECK(v["visitor_id"] == t.visitor_id());
  CHECK(v["landing_page"] ==
        "https://shop.test/?utm_source=newsletter&utm_medium=email&"
        "utm_campaign=spring&gclid=G1");
  CHECK(v["first_utm_source"] == "newsletter");
}

TEST_CASE_METHOD(tracker_fixture, "state survives a save and restore",
                 "[tracker]") {
  t.page_view("https://shop.test/?utm_source=news", "", "Home", t0);
  REQUIRE(t.record("cta_click", "", json{{"cta", "hero"}}, t0 + 1));
  const std::string saved = t.state_json();

  tracker next{loopkit::tracker_config{}, 9, 9};
  REQUIRE(next.restore(saved));
  next.page_view("https://shop.test/pricing", "https://shop.test/", "Pricing",
                 t0 + minute);

  CHECK(next.visitor_id() == t.visitor_id());
  CHECK(next.session_id() == t.session_id());
  CHECK(next.score().points == 20);
  CHECK(next.fill_values()["utm_source"] == "news");
}

TEST_CASE_METHOD(tracker_fixture, "a corrupt state is ignored", "[tracker]") {
  const std::string fresh = t.visitor_id();

  CHECK_FALSE(t.restore("{not json"));
  CHECK_FALSE(t.restore(R"({"v": "1"})"));
  CHECK_FALSE(t.restore(R"({"v": 1, "visitor_id": 5})"));
  CHECK_FALSE(t.restore(
      R"({"v": 1, "visitor_id": "x", "session_id": "", "email_sha256": "",
          "last_activity": 0, "history": [{"id": "bad id!"}]})"));
  CHECK(t.visitor_id() == fresh);
}

TEST_CASE("tracker configuration is validated with paths", "[tracker]") {
  CHECK(loopkit::parse_tracker_config(""));
  const auto ok = loopkit::parse_tracker_config(
      R"({"site": "demo", "discount_params": ["voucher"],
          "internal_hosts": ["pay.test"], "session_timeout_minutes": 10})");
  REQUIRE(ok);
  CHECK(ok->site == "demo");
  CHECK(ok->session_timeout_ms == 10 * minute);
  CHECK(ok->campaign.discount_params == std::vector<std::string>{"voucher"});

  CHECK(loopkit::parse_tracker_config(R"({"site": 1})").error().path ==
        "/site");
  CHECK(loopkit::parse_tracker_config(R"({"session_timeout_minutes": 0})")
            .error()
            .path == "/session_timeout_minutes");
  CHECK(loopkit::parse_tracker_config(
            R"({"scoring": {"version": 1, "rules": [{"id": "x"}],
                            "grades": [{"grade": "A", "min": 0}]}})")
            .error()
            .path == "/scoring/rules/0/points");
  CHECK(loopkit::parse_tracker_config(R"({"colour": 1})").error().path ==
        "/colour");
}
