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
  CHECK(pv.touch.source == "newsletter");
  CHECK(pv.touch.medium == "email");
  CHECK(pv.touch.channel == "Email");
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
  // The default model: a lead form 30 engagement; CEO 20 and a company
  // address 10 fit.
  CHECK(e->props["email_domain"] == "example.com");
  CHECK(e->props["score"] == 60);
  CHECK(e->props["fit"] == 30);
  CHECK(e->props["grade"] == "A");
  CHECK(e->props["stage"] == "warm");
  CHECK(e->props["status"] == "mql");
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

  CHECK(s.engagement == 20 * loopkit::centi_per_point);
  CHECK(s.stage == "cold");
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
  CHECK(next.score().points == 20 * loopkit::centi_per_point);
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

TEST_CASE_METHOD(tracker_fixture,
                 "a touch without UTM tags takes its channel from the referrer",
                 "[tracker]") {
  t.page_view("https://shop.test/", "https://www.google.com/search?q=crm",
              "Home", t0);
  t.page_view("https://shop.test/", "https://mail.google.com/mail/u/0/", "Home",
              t0 + minute);
  t.page_view("https://shop.test/", "", "Home", t0 + 60 * minute);

  const auto events = drain();

  REQUIRE(events.size() == 3);
  CHECK(events[0].touch.source == "google");
  CHECK(events[0].touch.medium == "organic");
  CHECK(events[0].touch.channel == "Organic Search");
  CHECK(events[1].touch.source == "gmail");
  CHECK(events[1].touch.medium == "email");
  CHECK(events[1].touch.channel == "Email");
  CHECK(events[2].touch.source == "(direct)");
  CHECK(events[2].touch.medium == "(none)");
  CHECK(events[2].touch.channel == "Direct");
}

TEST_CASE_METHOD(tracker_fixture,
                 "an event before any page view has a direct touch",
                 "[tracker]") {
  const auto e = t.record("track", "signup", json::object(), t0);

  REQUIRE(e);
  CHECK(e->touch.source == "(direct)");
  CHECK(e->touch.channel == "Direct");
}

TEST_CASE("a config's referrers extend the built-in list for that tracker only",
          "[tracker]") {
  const std::size_t built_in = loopkit::default_referrer_database().size();
  const auto config = loopkit::parse_tracker_config(R"({"referrers":
      {"email": {"Corp Mail": {"domains": ["mail.corp.test"]}}}})");
  REQUIRE(config);
  tracker own{*config, 1, 2};
  tracker plain{loopkit::tracker_config{}, 1, 2};

  own.page_view("https://shop.test/", "https://mail.corp.test/inbox", "", t0);
  plain.page_view("https://shop.test/", "https://mail.corp.test/inbox", "", t0);
  own.page_view("https://shop.test/", "https://www.bing.com/?q=crm", "",
                t0 + minute);

  const auto mine = own.take_outbox();
  const auto theirs = plain.take_outbox();
  REQUIRE(mine.size() == 2);
  REQUIRE(theirs.size() == 1);
  CHECK(mine[0].touch.referrer.medium == loopkit::referrer_medium::email);
  CHECK(mine[0].touch.referrer.source == "Corp Mail");
  CHECK(mine[1].touch.referrer.source == "Bing");
  CHECK(theirs[0].touch.referrer.medium == loopkit::referrer_medium::referral);
  CHECK(loopkit::default_referrer_database().size() == built_in);
}

TEST_CASE("a bad referrer database in the config is rejected with its path",
          "[tracker]") {
  CHECK(loopkit::parse_tracker_config(R"({"referrers": []})").error().path ==
        "/referrers");
  CHECK(loopkit::parse_tracker_config(R"({"referrers": {"pigeon": {}}})")
            .error()
            .path == "/referrers/pigeon");
  CHECK(loopkit::parse_tracker_config(
            R"({"referrers": {"social": {"B": {"domains": [7]}}}})")
            .error()
            .path == "/referrers/social/B/domains");
}

TEST_CASE("custom channels in the tracker config name the touch's channel",
          "[tracker]") {
  auto config = loopkit::parse_tracker_config(R"({"channels": {"prepend": [
    {"channel": "AI Assistants",
     "all": [{"field": "referrer", "equals": "chatbot"}]}]}})");
  REQUIRE(config);
  tracker t{std::move(*config), 1, 2};

  t.page_view("https://shop.test/", "https://chatgpt.com/", "Home", t0);

  CHECK(t.take_outbox().at(0).touch.channel == "AI Assistants");
  const auto bad = loopkit::parse_tracker_config(
      R"({"channels": {"append": [{"channel": 1}]}})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().path == "/channels/append/0/channel");
}

TEST_CASE_METHOD(tracker_fixture,
                 "an email in the page URL never reaches an event",
                 "[tracker]") {
  t.page_view("https://shop.test/thanks?email=jane%40example.com&"
              "utm_content=jane@example.com&utm_source=news",
              "", "Thanks", t0);

  const auto events = drain();

  REQUIRE(events.size() == 1);
  const std::string text = loopkit::dump(loopkit::to_json(events[0]));
  CHECK(text.find("jane") == std::string::npos);
  CHECK(events[0].touch.campaign.content == "redacted");
  CHECK(events[0].touch.campaign.source == "news");
}

TEST_CASE("a change of the lead's status follows the event that caused it",
          "[tracker]") {
  auto config = loopkit::parse_tracker_config(R"({"scoring": {"version": 2,
    "engagement": {"rules": [{"id": "cta", "event": "cta_click",
                              "points": 10}],
                   "stages": [{"stage": "hot", "min": 20},
                              {"stage": "cold", "min": 0}]},
    "statuses": [{"status": "engaged", "stage": "hot"}]}})");
  REQUIRE(config);
  tracker t{std::move(*config), 1, 2};
  t.page_view("https://shop.test/", "", "Home", t0);
  REQUIRE(t.record("cta_click", "", json{{"cta", "a"}}, t0 + 1));
  REQUIRE(t.record("cta_click", "", json{{"cta", "b"}}, t0 + 2));
  REQUIRE(t.record("cta_click", "", json{{"cta", "c"}}, t0 + 3));

  const auto events = t.take_outbox();

  REQUIRE(events.size() == 5);  // the third click changes nothing
  const auto& change = events[3];
  CHECK(events[2].props["cta"] == "b");
  CHECK(change.type == loopkit::event_type::status_change);
  CHECK(change.time == t0 + 2);
  CHECK(change.session_id == t.session_id());
  CHECK(change.props == json{{"from", ""}, {"to", "engaged"}, {"points", 20},
                             {"fit", 0}, {"engagement", 20}, {"grade", ""},
                             {"stage", "hot"}});
  CHECK(t.score().status == "engaged");
  CHECK(t.record("status_change", "", json::object(), t0).error().path ==
        "/type");
}

TEST_CASE("a restored status is not announced again", "[tracker]") {
  const std::string model = R"({"scoring": {"version": 2,
    "engagement": {"rules": [{"id": "view", "event": "page_view",
                              "points": 10}],
                   "stages": [{"stage": "warm", "min": 10}]},
    "statuses": [{"status": "engaged", "stage": "warm"}]}})";
  tracker first{*loopkit::parse_tracker_config(model), 1, 2};
  first.page_view("https://shop.test/", "", "Home", t0);
  REQUIRE(first.take_outbox().size() == 2);

  tracker next{*loopkit::parse_tracker_config(model), 3, 4};
  REQUIRE(next.restore(first.state_json()));
  next.page_view("https://shop.test/pricing", "", "Pricing", t0 + minute);

  CHECK(next.take_outbox().size() == 1);
  CHECK(next.score().status == "engaged");
}

TEST_CASE_METHOD(tracker_fixture,
                 "hidden-field values carry fit, engagement, grade, stage "
                 "and status",
                 "[tracker]") {
  t.identify("ada@Analytical.Test");
  t.page_view("https://shop.test/pricing", "", "Pricing", t0);
  REQUIRE(t.record("lead", "", json{{"fields", {{"job_title", "CTO"}}}},
                   t0 + minute));

  const json v = t.fill_values();

  // The default model: fit CTO 20 + company address 10; engagement
  // pricing 15 + lead form 30.
  CHECK(v["lead_score"] == 75);
  CHECK(v["lead_fit"] == 30);
  CHECK(v["lead_engagement"] == 45);
  CHECK(v["lead_grade"] == "A");
  CHECK(v["lead_stage"] == "warm");
  CHECK(v["lead_status"] == "mql");
}
