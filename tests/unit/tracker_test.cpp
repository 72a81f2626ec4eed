#include <catch2/catch.hpp>

#include <string>

#include "loopkit/sha256.h"
#include "loopkit/redact.h"
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

TEST_CASE_METHOD(tracker_fixture,
                 "a page view takes the id of the raw view sent for it",
                 "[tracker]") {
  const std::string raw_id = "0b6f2c1e-5d4a-4c3b-9a8f-7e6d5c4b3a21";
  t.page_view("https://shop.test/?utm_source=news", "", "Home", t0, raw_id);
  t.page_view("https://shop.test/a", "", "A", t0 + minute, "not an id!");
  t.page_view("https://shop.test/b", "", "B", t0 + 2 * minute,
              std::string(65, 'x'));

  const auto events = drain();

  REQUIRE(events.size() == 3);
  CHECK(events[0].id == raw_id);
  CHECK(events[0].touch.source == "news");
  // An id the collector would refuse is replaced by a fresh one.
  CHECK(loopkit::is_event_id(events[1].id));
  CHECK(events[1].id.size() == 36);
  CHECK(events[2].id.size() == 36);
  CHECK(events[1].id != events[2].id);
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

TEST_CASE("a site name that holds an email address is scrubbed once, in the "
          "config, so a saved state restores the same",
          "[tracker]") {
  const auto config =
      loopkit::parse_tracker_config(R"({"site": "team ops@shop.test demo"})");
  REQUIRE(config);
  CHECK(config->site == loopkit::scrub_emails("team ops@shop.test demo"));
  CHECK(config->site.find('@') == std::string::npos);

  tracker t{*config, 1, 2};
  t.page_view("https://shop.test/", "", "Home", 1000);
  const std::string saved = t.state_json();
  tracker restored{*config, 3, 4};
  REQUIRE(restored.restore(saved));
  CHECK(restored.state_json() == saved);
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

// ---- payment pages and other excluded referrers --------------------------

TEST_CASE_METHOD(tracker_fixture,
                 "a return from a payment page keeps the email campaign and "
                 "the session",
                 "[tracker]") {
  t.page_view("https://shop.test/?utm_source=news&utm_medium=email&"
              "utm_campaign=spring",
              "", "Home", t0);
  const std::string session = t.session_id();
  t.page_view("https://shop.test/thanks", "https://www.paypal.com/checkoutnow",
              "Thanks", t0 + 5 * minute);
  t.page_view("https://shop.test/done", "https://checkout.stripe.com/c/pay",
              "Done", t0 + 6 * minute);

  const auto events = drain();

  REQUIRE(events.size() == 3);
  CHECK(t.session_id() == session);
  CHECK(events[1].session_id == session);
  CHECK(events[1].touch.campaign.name == "spring");
  CHECK(events[1].touch.channel == "Email");
  CHECK(events[1].page.referrer == "https://www.paypal.com/checkoutnow");
  CHECK(events[2].touch.campaign.name == "spring");
  CHECK(t.touches()["history"].size() == 1);
}

TEST_CASE_METHOD(tracker_fixture,
                 "UTM tags on a return from a payment page start a new "
                 "campaign",
                 "[tracker]") {
  t.page_view("https://shop.test/?utm_source=news&utm_medium=email", "",
              "Home", t0);
  const std::string session = t.session_id();
  t.page_view("https://shop.test/thanks?utm_source=paypal&utm_medium=partner",
              "https://www.paypal.com/", "Thanks", t0 + minute);

  const auto events = drain();

  REQUIRE(events.size() == 2);
  CHECK(t.session_id() != session);
  CHECK(events[1].touch.campaign.source == "paypal");
  CHECK(events[1].touch.campaign.medium == "partner");
  // The payment page is still no referrer of the touch.
  CHECK(events[1].touch.referrer.medium == loopkit::referrer_medium::direct);
  CHECK(events[1].touch.referrer_url == "");
}

TEST_CASE_METHOD(tracker_fixture,
                 "the inactivity timeout still applies to a payment-page "
                 "return",
                 "[tracker]") {
  t.page_view("https://shop.test/?utm_source=news&utm_medium=email", "",
              "Home", t0);
  const std::string session = t.session_id();
  t.page_view("https://shop.test/thanks", "https://www.paypal.com/", "Thanks",
              t0 + 31 * minute);

  const auto events = drain();

  REQUIRE(events.size() == 2);
  CHECK(t.session_id() != session);
  CHECK(events[1].touch.channel == "Direct");
  CHECK(events[1].touch.referrer.host == "");
  CHECK(t.fill_values()["last_non_direct_source"] == "news");
}

TEST_CASE("a config's excluded hosts replace the payment providers",
          "[tracker]") {
  auto config = loopkit::parse_tracker_config(
      R"({"excluded_hosts": ["Pay.Example.", "billing.test"]})");
  REQUIRE(config);
  CHECK(config->excluded_hosts ==
        std::vector<std::string>{"pay.example", "billing.test"});
  tracker t{std::move(*config), 1, 2};
  t.page_view("https://shop.test/?utm_source=news", "", "Home", t0);
  const std::string session = t.session_id();

  t.page_view("https://shop.test/a", "https://eu.pay.example/x", "A",
              t0 + minute);
  CHECK(t.session_id() == session);
  t.page_view("https://shop.test/b", "https://www.paypal.com/", "B",
              t0 + 2 * minute);
  CHECK(t.session_id() != session);
  CHECK(t.take_outbox().back().touch.referrer.source == "paypal.com");
}

TEST_CASE("a host only ends with an excluded one on a label boundary",
          "[tracker]") {
  tracker t{loopkit::tracker_config{}, 1, 2};
  t.page_view("https://shop.test/?utm_source=news", "", "Home", t0);
  const std::string session = t.session_id();

  t.page_view("https://shop.test/a", "https://notpaypal.com/", "A",
              t0 + minute);

  CHECK(t.session_id() != session);
}

TEST_CASE("new tracker config keys are validated with paths", "[tracker]") {
  const auto path = [](const char* text) {
    const auto c = loopkit::parse_tracker_config(text);
    return c ? std::string("ok") : c.error().path;
  };

  CHECK(path(R"({"excluded_hosts": "paypal.com"})") == "/excluded_hosts");
  CHECK(path(R"({"excluded_hosts": ["a.test", 5]})") == "/excluded_hosts/1");
  CHECK(path(R"({"excluded_hosts": ["https://a.test/"]})") ==
        "/excluded_hosts/0");
  CHECK(path(R"({"linked_domains": [""]})") == "/linked_domains/0");
  CHECK(path(R"({"touch_history": 0})") == "/touch_history");
  CHECK(path(R"({"touch_history": 101})") == "/touch_history");
  CHECK(path(R"({"touch_history": 1.5})") == "/touch_history");
  CHECK(path(R"({"link_param": ""})") == "/link_param");
  CHECK(path(R"({"link_param": "a b"})") == "/link_param");
  CHECK(path(R"({"excluded_hosts": [], "touch_history": 100,
                 "linked_domains": ["shop.test"], "link_param": "x-id"})") ==
        "ok");
  const loopkit::tracker_config defaults;
  CHECK(defaults.touch_history == 25);
  CHECK(defaults.link_param == "_lk");
  CHECK(defaults.excluded_hosts == loopkit::default_excluded_hosts());
  CHECK(loopkit::parse_tracker_config(R"({"excluded_hosts": []})")
            ->excluded_hosts.empty());
}

// ---- touches -------------------------------------------------------------

TEST_CASE_METHOD(tracker_fixture,
                 "the last non-direct touch survives a direct visit",
                 "[tracker]") {
  t.page_view("https://shop.test/", "https://www.google.com/search?q=crm",
              "Home", t0);
  t.page_view("https://shop.test/?utm_source=news&utm_medium=email&"
              "utm_campaign=spring",
              "", "Home", t0 + 2 * 60 * minute);
  t.page_view("https://shop.test/pricing", "", "Pricing", t0 + 5 * 60 * minute);

  const json touches = t.touches();
  const json v = t.fill_values();

  CHECK(touches["first"]["source"] == "google");
  CHECK(touches["first"]["referrer_medium"] == "search");
  CHECK(touches["last"]["channel"] == "Direct");
  CHECK(touches["last"]["landing_page"] == "https://shop.test/pricing");
  CHECK(touches["last_non_direct"]["source"] == "news");
  CHECK(touches["last_non_direct"]["campaign"] == "spring");
  CHECK(touches["last_non_direct"]["time"] == t0 + 2 * 60 * minute);
  REQUIRE(touches["history"].size() == 3);
  CHECK(touches["history"][1]["channel"] == "Email");
  CHECK(v["channel"] == "Direct");
  CHECK(v["first_channel"] == "Organic Search");
  CHECK(v["first_landing_page"] == "https://shop.test/");
  CHECK(v["first_touch_time"] == t0);
  CHECK(v["last_touch_time"] == t0 + 5 * 60 * minute);
  CHECK(v["last_non_direct_source"] == "news");
  CHECK(v["last_non_direct_medium"] == "email");
  CHECK(v["last_non_direct_campaign"] == "spring");
  CHECK(v["last_non_direct_channel"] == "Email");
}

TEST_CASE_METHOD(tracker_fixture,
                 "before any touch the touches are empty and null",
                 "[tracker]") {
  CHECK(t.touches() == json{{"first", nullptr},
                            {"last", nullptr},
                            {"last_non_direct", nullptr},
                            {"history", json::array()}});
  CHECK(t.fill_values()["last_non_direct_source"] == "");
  CHECK(t.fill_values()["first_touch_time"] == 0);
}

TEST_CASE_METHOD(tracker_fixture,
                 "a touch records its click id and referrer medium",
                 "[tracker]") {
  t.page_view("https://shop.test/?gclid=G1&utm_source=google&utm_medium=cpc&"
              "utm_campaign=brand",
              "https://www.google.com/", "Home", t0);

  const json last = t.touches()["last"];

  CHECK(last == json{{"source", "google"},
                     {"medium", "cpc"},
                     {"campaign", "brand"},
                     {"channel", "Paid Search"},
                     {"referrer_medium", "search"},
                     {"click_id", "G1"},
                     {"click_id_type", "gclid"},
                     {"landing_page",
                      "https://shop.test/?gclid=G1&utm_source=google&"
                      "utm_medium=cpc&utm_campaign=brand"},
                     {"time", t0}});
}

TEST_CASE("the touch history keeps touch_history touches, dropping the "
          "oldest",
          "[tracker]") {
  auto config = loopkit::parse_tracker_config(R"({"touch_history": 3})");
  REQUIRE(config);
  tracker t{std::move(*config), 1, 2};

  for (int i = 0; i < 5; ++i) {
    t.page_view("https://shop.test/?utm_source=s" + std::to_string(i), "",
                "Home", t0 + i * minute);
  }

  const json history = t.touches()["history"];
  REQUIRE(history.size() == 3);
  CHECK(history[0]["source"] == "s2");
  CHECK(history[1]["source"] == "s3");
  CHECK(history[2]["source"] == "s4");
  CHECK(t.touches()["first"]["source"] == "s0");
}

TEST_CASE_METHOD(tracker_fixture, "a state round trip keeps the touches",
                 "[tracker]") {
  t.page_view("https://shop.test/?utm_source=news&utm_medium=email", "",
              "Home", t0);
  t.page_view("https://shop.test/", "https://www.bing.com/?q=crm", "Home",
              t0 + minute);
  t.page_view("https://shop.test/", "", "Home", t0 + 60 * minute);
  const std::string saved = t.state_json();

  tracker next{loopkit::tracker_config{}, 9, 9};
  REQUIRE(next.restore(saved));

  CHECK(next.touches() == t.touches());
  CHECK(next.touches()["last_non_direct"]["source"] == "bing");
  CHECK(next.touches()["history"].size() == 3);
  CHECK(next.state_json() == saved);
  CHECK_FALSE(next.restore(R"({"v": 1, "visitor_id": "abcdefgh",
      "session_id": "s", "email_sha256": "", "last_activity": 0,
      "touches": [{"source": 1}]})"));
  CHECK(next.touches() == t.touches());
}

TEST_CASE("a state from before the touch history still gives its touches",
          "[tracker]") {
  tracker old{loopkit::tracker_config{}, 1, 2};
  old.page_view("https://shop.test/?utm_source=news", "", "Home", t0);
  old.page_view("https://shop.test/", "", "Home", t0 + 60 * minute);
  json state = json::parse(old.state_json());
  state.erase("touches");
  state.erase("last_non_direct");

  tracker next{loopkit::tracker_config{}, 3, 4};
  REQUIRE(next.restore(state.dump()));

  const json touches = next.touches();
  REQUIRE(touches["history"].size() == 2);
  CHECK(touches["history"][0]["source"] == "news");
  CHECK(touches["last_non_direct"]["source"] == "news");
}

// ---- visitor ids: adoption and cross-domain links ------------------------

TEST_CASE_METHOD(tracker_fixture,
                 "a visitor id from the page's storage is adopted when valid",
                 "[tracker]") {
  const std::string fresh = t.visitor_id();

  CHECK_FALSE(t.adopt_visitor("short"));
  CHECK_FALSE(t.adopt_visitor(std::string(65, 'a')));
  CHECK_FALSE(t.adopt_visitor("has space1"));
  CHECK_FALSE(t.adopt_visitor("dots.are.out"));
  CHECK(t.visitor_id() == fresh);
  CHECK(t.adopt_visitor("Cookie_id-12345"));
  t.page_view("https://shop.test/", "", "Home", t0);

  CHECK(t.visitor_id() == "Cookie_id-12345");
  CHECK(drain().at(0).visitor_id == "Cookie_id-12345");
  CHECK(t.fill_values()["visitor_id"] == "Cookie_id-12345");
}

TEST_CASE_METHOD(tracker_fixture,
                 "a fresh link id is adopted and stripped from the URL",
                 "[tracker]") {
  // 1764000000000 ms is "midc1z40" in base36; 100 s earlier, "midbzty8".
  t.page_view("https://shop.test/?utm_source=blog&_lk=Visitor-0042.midbzty8"
              "&plan=pro#top",
              "", "Home", t0);

  const auto events = drain();

  CHECK(t.visitor_id() == "Visitor-0042");
  REQUIRE(events.size() == 1);
  CHECK(events[0].visitor_id == "Visitor-0042");
  CHECK(events[0].page.url ==
        "https://shop.test/?utm_source=blog&plan=pro#top");
  CHECK(events[0].touch.landing_page == events[0].page.url);
  CHECK(events[0].touch.campaign.source == "blog");
}

TEST_CASE_METHOD(tracker_fixture,
                 "a stale or malformed link id is ignored and still stripped",
                 "[tracker]") {
  const std::string fresh = t.visitor_id();
  // 121 s before t0 is "midbzdqw"; 121 s after, "midc4kh4".
  const char* urls[] = {
      "https://shop.test/?_lk=Visitor-0042.midbzdqw",
      "https://shop.test/?_lk=Visitor-0042.midc4kh4",
      "https://shop.test/?_lk=Visitor-0042",
      "https://shop.test/?_lk=bad%20id!.midc1z40",
      "https://shop.test/?_lk=short.midc1z40",
      "https://shop.test/?_lk=Visitor-0042.MIDC1Z40",
      "https://shop.test/?_lk=",
      "https://shop.test/?_lk"};

  for (const char* url : urls) {
    t.page_view(url, "", "Home", t0);
    CHECK(t.visitor_id() == fresh);
    CHECK(drain().at(0).page.url == "https://shop.test/");
  }
}

TEST_CASE_METHOD(tracker_fixture,
                 "clean_url removes the link parameter or answers empty",
                 "[tracker]") {
  CHECK(t.clean_url("https://shop.test/a?_lk=v.1&b=2#f") ==
        "https://shop.test/a?b=2#f");
  CHECK(t.clean_url("https://shop.test/a?b=2&_lk=v.1") ==
        "https://shop.test/a?b=2");
  CHECK(t.clean_url("https://shop.test/a?_lk=v.1#x?_lk=y") ==
        "https://shop.test/a#x?_lk=y");
  CHECK(t.clean_url("https://shop.test/a?b=2") == "");
  CHECK(t.clean_url("https://shop.test/a#?_lk=v.1") == "");
  CHECK(t.clean_url("https://shop.test/a?x_lk=1&_lkx=2") == "");
}

TEST_CASE("links to linked domains carry the visitor id", "[tracker]") {
  auto config = loopkit::parse_tracker_config(
      R"({"linked_domains": ["shop.test", "blog.test"]})");
  REQUIRE(config);
  tracker t{std::move(*config), 1, 2};
  const std::string id = t.visitor_id() + ".midc1z40";
  const std::string page = "https://blog.test/post";

  CHECK(t.decorate_link("https://shop.test/cart#top", page, t0) ==
        "https://shop.test/cart?_lk=" + id + "#top");
  CHECK(t.decorate_link("https://www.shop.test/?a=1", page, t0) ==
        "https://www.shop.test/?a=1&_lk=" + id);
  CHECK(t.decorate_link("https://shop.test/?_lk=old.1&a=1", page, t0) ==
        "https://shop.test/?a=1&_lk=" + id);
  CHECK(t.decorate_link("http://shop.test/?", page, t0) ==
        "http://shop.test/?_lk=" + id);
  CHECK(t.decorate_link("https://other.test/", page, t0) == "");
  CHECK(t.decorate_link("https://notshop.test/", page, t0) == "");
  CHECK(t.decorate_link("https://blog.test/next", page, t0) == "");
  CHECK(t.decorate_link("mailto:a@shop.test", page, t0) == "");
  CHECK(t.decorate_link("ftp://shop.test/file", page, t0) == "");
  CHECK(t.decorate_link("/relative", page, t0) == "");
}

TEST_CASE("a decorated link carries the id to the other domain", "[tracker]") {
  auto config = loopkit::parse_tracker_config(
      R"({"linked_domains": ["shop.test", "blog.test"]})");
  REQUIRE(config);
  tracker blog{*config, 1, 2};
  tracker shop{*config, 3, 4};
  blog.page_view("https://blog.test/?utm_source=news", "", "Post", t0);

  const std::string link =
      blog.decorate_link("https://shop.test/pricing", "https://blog.test/",
                         t0 + 1000);
  shop.page_view(link, "https://blog.test/", "Pricing", t0 + 3000);

  CHECK(shop.visitor_id() == blog.visitor_id());
  const auto events = shop.take_outbox();
  REQUIRE(events.size() == 1);
  CHECK(events[0].page.url == "https://shop.test/pricing");
  // The linked domain is no referral source of its own.
  CHECK(events[0].touch.referrer.medium == loopkit::referrer_medium::direct);
}

// ---- CTA clicks ----------------------------------------------------------

TEST_CASE_METHOD(tracker_fixture,
                 "a CTA click keeps its kind, a clean href and its position",
                 "[tracker]") {
  t.page_view("https://shop.test/", "", "Home", t0);

  const auto plain = t.record(
      "cta_click", "",
      json{{"cta", "hero"}, {"text", "Start"}, {"href", "https://shop.test/"
                                                        "signup?plan=pro#f"},
           {"x", 120.6}, {"y", -4}},
      t0 + 1);
  const auto out = t.record(
      "cta_click", "",
      json{{"kind", "outbound"},
           {"href", "https://Partner.Example:8443/p/jane@example.com?"
                    "ref=jane%40example.com#x"},
           {"x", "12"}, {"y", 1e12}},
      t0 + 2);

  REQUIRE(plain);
  CHECK(plain->props == json{{"cta", "hero"}, {"text", "Start"},
                             {"kind", "cta"},
                             {"href", "https://shop.test/signup"},
                             {"x", 121}, {"y", 0}});
  REQUIRE(out);
  CHECK(out->props == json{{"cta", "partner.example"}, {"text", ""},
                           {"kind", "outbound"},
                           {"href", "https://partner.example:8443/p/redacted"},
                           {"y", 1000000}});
}

TEST_CASE_METHOD(tracker_fixture,
                 "mailto and tel clicks never store the address or number",
                 "[tracker]") {
  t.page_view("https://shop.test/contact", "", "Contact", t0);

  const auto mail = t.record(
      "cta_click", "",
      json{{"kind", "mailto"},
           {"href", "mailto:jane@example.com?subject=hi"},
           {"text", "jane@example.com"}},
      t0 + 1);
  const auto tel = t.record("cta_click", "",
                            json{{"kind", "tel"},
                                 {"href", "tel:+49301234567"},
                                 {"text", "+49 30 1234567"}},
                            t0 + 2);
  const auto labelled = t.record("cta_click", "",
                                 json{{"cta", "call-us"},
                                      {"kind", "tel"},
                                      {"href", "tel:+49301234567"},
                                      {"text", "Call us"}},
                                 t0 + 3);
  const auto sneaky = t.record(
      "cta_click", "",
      json{{"cta", "contact"}, {"href", "mailto:jane@example.com"}}, t0 + 4);

  REQUIRE(mail);
  CHECK(mail->props == json{{"cta", "mailto"}, {"text", "redacted"},
                            {"kind", "mailto"}});
  REQUIRE(tel);
  CHECK(tel->props == json{{"cta", "tel"}, {"text", ""}, {"kind", "tel"}});
  REQUIRE(labelled);
  CHECK(labelled->props["text"] == "Call us");
  CHECK_FALSE(labelled->props.contains("href"));
  REQUIRE(sneaky);
  CHECK_FALSE(sneaky->props.contains("href"));
  std::string all = t.state_json();
  for (const auto& e : drain()) all += loopkit::dump(loopkit::to_json(e));
  CHECK(all.find("jane") == std::string::npos);
  CHECK(all.find("1234567") == std::string::npos);
  CHECK(all.find("mailto:") == std::string::npos);
}

TEST_CASE_METHOD(tracker_fixture, "bad CTA kinds and ids are refused",
                 "[tracker]") {
  CHECK(t.record("cta_click", "", json{{"cta", "a"}, {"kind", "button"}}, t0)
            .error()
            .path == "/props/kind");
  CHECK(t.record("cta_click", "", json{{"cta", "a"}, {"kind", 3}}, t0)
            .error()
            .path == "/props/kind");
  CHECK(t.record("cta_click", "",
                 json{{"kind", "outbound"}, {"href", "javascript:go()"}}, t0)
            .error()
            .path == "/props/cta");
  CHECK(t.record("cta_click", "", json{{"kind", "cta"}}, t0).error().path ==
        "/props/cta");
  CHECK(drain().empty());
}

TEST_CASE_METHOD(tracker_fixture,
                 "a second click on a CTA within 1000 ms is one click",
                 "[tracker]") {
  t.page_view("https://shop.test/", "", "Home", t0);
  REQUIRE(t.record("cta_click", "", json{{"cta", "hero"}}, t0 + 10000));

  const auto twice = t.record("cta_click", "", json{{"cta", "hero"}},
                              t0 + 10999);
  const auto other = t.record("cta_click", "", json{{"cta", "nav"}},
                              t0 + 10999);
  const auto later = t.record("cta_click", "", json{{"cta", "hero"}},
                              t0 + 11001);

  REQUIRE_FALSE(twice);
  CHECK(twice.error().message == "repeat click");
  CHECK(twice.error().path == "/props/cta");
  CHECK(other);
  CHECK(later);
  // Measured from the last recorded click, not the refused one.
  CHECK_FALSE(t.record("cta_click", "", json{{"cta", "hero"}}, t0 + 12000));
  CHECK(t.record("cta_click", "", json{{"cta", "hero"}}, t0 + 12002));
}

TEST_CASE_METHOD(tracker_fixture,
                 "an address in the page title or an encoded path segment "
                 "never leaves the page",
                 "[tracker]") {
  t.page_view("https://shop.test/u/jane%2540corp.example/x", "",
              "Welcome jane@corp.example", t0);

  const auto events = drain();

  REQUIRE(events.size() == 1);
  CHECK(events[0].page.title == "Welcome redacted");
  CHECK(events[0].page.url == "https://shop.test/u/redacted/x");
  CHECK(events[0].page.path == "/u/redacted/x");
  CHECK(t.state_json().find("corp.example") == std::string::npos);
}
