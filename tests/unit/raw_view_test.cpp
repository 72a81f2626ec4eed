#include <catch2/catch.hpp>

#include <string>

#include "loopkit/raw_view.h"
#include "loopkit/tracker.h"

using loopkit::page_view_from_raw;
using loopkit::raw_view_settings;
using nlohmann::json;

namespace {

constexpr std::int64_t t0 = 1764000000000;

json raw_view(std::string url, std::string referrer = "",
              std::string title = "Home") {
  return json{{"id", "view-1"},       {"visitor_id", "visitor-1"},
              {"session_id", "s-1"},  {"site", "shop"},
              {"url", std::move(url)}, {"referrer", std::move(referrer)},
              {"title", std::move(title)}, {"time", t0}};
}

struct raw_fixture {
  raw_view_settings settings;

  loopkit::event convert(const json& raw) {
    auto e = page_view_from_raw(raw, settings, "/raw_page_views/0");
    REQUIRE(e);  // dereferenced below
    return *e;
  }

  std::string error_path(const json& raw) {
    const auto e = page_view_from_raw(raw, settings, "/raw_page_views/0");
    REQUIRE_FALSE(e);
    return e.error().path;
  }
};

}  // namespace

TEST_CASE_METHOD(raw_fixture,
                 "a raw view becomes a page view with campaign and channel",
                 "[raw_view]") {
  const auto raw = raw_view(
      "https://shop.test/pricing?utm_source=newsletter&utm_medium=email"
      "&utm_campaign=spring",
      "https://www.google.com/search?q=invoicing", "Pricing");

  const auto e = convert(raw);

  CHECK(e.type == loopkit::event_type::page_view);
  CHECK(e.id == "view-1");
  CHECK(e.visitor_id == "visitor-1");
  CHECK(e.session_id == "s-1");
  CHECK(e.site == "shop");
  CHECK(e.time == t0);
  CHECK(e.page.path == "/pricing");
  CHECK(e.page.title == "Pricing");
  CHECK(e.touch.campaign.source == "newsletter");
  CHECK(e.touch.campaign.name == "spring");
  CHECK(e.touch.referrer.medium == loopkit::referrer_medium::search);
  CHECK(e.touch.referrer.term == "invoicing");
  CHECK(e.touch.landing_page == e.page.url);
  CHECK(e.touch.time == t0);
  CHECK(e.touch.source == "newsletter");
  CHECK(e.touch.medium == "email");
  CHECK(e.touch.channel == "Email");
}

TEST_CASE_METHOD(raw_fixture,
                 "a raw view reads exactly as the page's own page view",
                 "[raw_view]") {
  const char* cases[][2] = {
      {"https://shop.test/", ""},
      {"https://shop.test/?gclid=abc", ""},
      {"https://shop.test/a?utm_source=x&utm_medium=cpc&discount=SAVE",
       "https://t.co/xyz"},
      {"https://shop.test/docs", "https://shop.test/"},
      {"https://shop.test/", "https://chatgpt.com/"},
      {"https://shop.test/", "https://mail.google.com/mail/u/0/"},
      {"https://shop.test/", "not a url"},
      {"https://shop.test/thanks?email=jane%40x.test", ""},
  };

  for (const auto& c : cases) {
    loopkit::tracker page{loopkit::tracker_config{}, 7, 8};
    page.page_view(c[0], c[1], " Title ", t0);
    const auto expected = page.take_outbox().front();
    auto raw = raw_view(c[0], c[1], " Title ");
    raw["session_id"] = expected.session_id;

    const auto e = convert(raw);

    INFO(c[0] << " from " << c[1]);
    CHECK(e.page.url == expected.page.url);
    CHECK(e.page.path == expected.page.path);
    CHECK(e.page.title == expected.page.title);
    CHECK(e.page.referrer == expected.page.referrer);
    CHECK(to_json(e.touch) == to_json(expected.touch));
  }
}

TEST_CASE_METHOD(raw_fixture, "an email address in the URL is never kept",
                 "[raw_view]") {
  const auto raw = raw_view("https://shop.test/thanks?email=jane%40x.test&a=1",
                            "https://r.test/?from=jane@x.test");

  const auto e = convert(raw);

  CHECK(e.page.url == "https://shop.test/thanks?email=redacted&a=1");
  CHECK(e.page.referrer == "https://r.test/?from=redacted");
  CHECK(e.touch.landing_page == e.page.url);
  CHECK(e.touch.referrer_url == "https://r.test/?from=redacted");
  CHECK(to_json(e).dump().find("jane") == std::string::npos);
}

TEST_CASE_METHOD(raw_fixture, "custom channels and referrers are used",
                 "[raw_view]") {
  auto rules = loopkit::load_channel_rules(
      R"({"prepend": [{"channel": "Intranet",
          "all": [{"field": "referrer", "equals": "search"},
                  {"field": "source", "equals": "corpfind"}]}]})");
  REQUIRE(rules);
  settings.channels = std::move(*rules);
  REQUIRE(loopkit::load_referrer_database(
      R"({"search": {"CorpFind": {"domains": ["find.corp.test"],
          "parameters": ["k"]}}})",
      settings.referrers));

  const auto e =
      convert(raw_view("https://shop.test/", "https://find.corp.test/?k=crm"));

  CHECK(e.touch.referrer.source == "CorpFind");
  CHECK(e.touch.referrer.term == "crm");
  CHECK(e.touch.channel == "Intranet");
}

TEST_CASE_METHOD(raw_fixture,
                 "an empty session id is the visitor's day, the same all day",
                 "[raw_view]") {
  auto morning = raw_view("https://shop.test/");
  morning["session_id"] = "";
  morning["time"] = 1764028800000;  // 2025-11-25 00:00 UTC
  auto evening = morning;
  evening["time"] = 1764028800000 + 23 * 3600 * 1000;
  auto next_day = morning;
  next_day["time"] = 1764028800000 + 24 * 3600 * 1000;
  auto other_visitor = morning;
  other_visitor["visitor_id"] = "visitor-2";

  const auto a = convert(morning);
  const auto b = convert(evening);
  const auto c = convert(next_day);
  const auto d = convert(other_visitor);

  CHECK(a.session_id == loopkit::raw_session_id("visitor-1", 1764028800000));
  CHECK(a.session_id.size() == 32);
  CHECK(a.session_id == b.session_id);
  CHECK(a.session_id != c.session_id);
  CHECK(a.session_id != d.session_id);
  // SHA-256 of "visitor-1:20417", cut to 32 hex digits.
  CHECK(a.session_id == "7e946d40a0eb8418f2e81ea6864747fd");
}

TEST_CASE_METHOD(raw_fixture,
                 "a later view of the session keeps the session's touch",
                 "[raw_view]") {
  const auto landing = convert(
      raw_view("https://shop.test/?utm_source=news&utm_medium=email"));
  auto next = raw_view("https://shop.test/pricing", "https://shop.test/");
  next["time"] = t0 + 1000;
  auto inside = convert(next);
  auto same_tags = convert(
      raw_view("https://shop.test/b?utm_medium=email&utm_source=news"
               "&discount=X"));
  next["referrer"] = "https://www.google.com/";
  auto from_search = convert(next);
  next["referrer"] = "";
  next["url"] = "https://shop.test/?utm_source=ads&utm_medium=cpc";
  auto new_campaign = convert(next);

  const bool kept_inside = continue_session(inside, landing.touch);
  const bool kept_same_tags = continue_session(same_tags, landing.touch);
  const bool kept_search = continue_session(from_search, landing.touch);
  const bool kept_campaign = continue_session(new_campaign, landing.touch);

  CHECK(kept_inside);
  CHECK(to_json(inside.touch) == to_json(landing.touch));
  CHECK(inside.page.path == "/pricing");
  CHECK(kept_same_tags);
  CHECK_FALSE(kept_search);
  CHECK(from_search.touch.channel == "Organic Search");
  CHECK(from_search.touch.time == t0 + 1000);
  CHECK_FALSE(kept_campaign);
  CHECK(new_campaign.touch.campaign.source == "ads");
  CHECK(new_campaign.touch.channel == "Paid Other");
}

TEST_CASE_METHOD(raw_fixture,
                 "a view without a session id joins the running session "
                 "within its timeout",
                 "[raw_view]") {
  const auto landing = convert(
      raw_view("https://shop.test/?utm_source=news&utm_medium=email"));
  auto next = raw_view("https://shop.test/pricing", "https://shop.test/");
  next["session_id"] = "";
  const auto at = [&](std::int64_t time) {
    next["time"] = time;
    return convert(next);
  };
  const std::int64_t limit = loopkit::default_session_timeout_ms;

  auto in_time = at(t0 + limit);
  auto too_late = at(t0 + limit + 1);
  auto before = at(t0 - 1);
  CHECK(loopkit::join_running_session(in_time, "core-s", t0, landing.touch));
  CHECK(in_time.session_id == "core-s");
  CHECK(to_json(in_time.touch) == to_json(landing.touch));
  CHECK_FALSE(
      loopkit::join_running_session(too_late, "core-s", t0, landing.touch));
  CHECK(too_late.session_id != "core-s");
  CHECK_FALSE(
      loopkit::join_running_session(before, "core-s", t0, landing.touch));

  // Another campaign starts a session of its own, however soon.
  next["url"] = "https://shop.test/?utm_source=ads&utm_medium=cpc";
  auto tagged = at(t0 + 1000);
  CHECK_FALSE(
      loopkit::join_running_session(tagged, "core-s", t0, landing.touch));
  CHECK(tagged.touch.campaign.source == "ads");
}

TEST_CASE_METHOD(raw_fixture, "a bad raw view names the field at fault",
                 "[raw_view]") {
  auto no_id = raw_view("https://shop.test/");
  no_id.erase("id");
  auto bad_visitor = raw_view("https://shop.test/");
  bad_visitor["visitor_id"] = "has space";
  auto bad_session = raw_view("https://shop.test/");
  bad_session["session_id"] = "a/b";
  auto no_url = raw_view("");
  auto negative_time = raw_view("https://shop.test/");
  negative_time["time"] = -1;
  auto text_time = raw_view("https://shop.test/");
  text_time["time"] = "now";
  auto unknown = raw_view("https://shop.test/");
  unknown["titel"] = "typo";
  auto long_title = raw_view("https://shop.test/", "", std::string(2049, 'x'));
  auto number_referrer = raw_view("https://shop.test/");
  number_referrer["referrer"] = 3;

  CHECK(error_path(no_id) == "/raw_page_views/0/id");
  CHECK(error_path(bad_visitor) == "/raw_page_views/0/visitor_id");
  CHECK(error_path(bad_session) == "/raw_page_views/0/session_id");
  CHECK(error_path(no_url) == "/raw_page_views/0/url");
  CHECK(error_path(negative_time) == "/raw_page_views/0/time");
  CHECK(error_path(text_time) == "/raw_page_views/0/time");
  CHECK(error_path(unknown) == "/raw_page_views/0/titel");
  CHECK(error_path(long_title) == "/raw_page_views/0/title");
  CHECK(error_path(number_referrer) == "/raw_page_views/0/referrer");
  auto bad_param = raw_view("https://shop.test/");
  bad_param["link_param"] = "a&b";
  CHECK(error_path(bad_param) == "/raw_page_views/0/link_param");
  CHECK(error_path(json::array()) == "/raw_page_views/0");
}

TEST_CASE_METHOD(raw_fixture, "only id, visitor, url and time are required",
                 "[raw_view]") {
  const json raw{{"id", "v"}, {"visitor_id", "w"},
                 {"url", "https://shop.test/"}, {"time", t0}};

  const auto e = convert(raw);

  CHECK(e.site.empty());
  CHECK(e.page.title.empty());
  CHECK(e.page.referrer.empty());
  CHECK(e.session_id == loopkit::raw_session_id("w", t0));
  CHECK(e.touch.channel == "Direct");
}

TEST_CASE_METHOD(raw_fixture,
                 "a linked site's parameter is removed and a fresh one adopted",
                 "[raw_view]") {
  // "<visitor id>.<time in base36>", as decorate_link writes it: t0 - 30 s
  // is fresh at t0, t0 - 3 min is not.
  const std::string fresh = "linked-visitor-1.midc1byo";
  REQUIRE(std::stoll("midc1byo", nullptr, 36) == t0 - 30000);
  const auto adopted = convert(raw_view(
      "https://shop.test/?utm_source=partner&_lk=" + fresh + "#top"));
  auto stale_view =
      raw_view("https://shop.test/?_lk=linked-visitor-1.midby480");
  const auto stale = convert(stale_view);
  auto custom_view = raw_view("https://shop.test/a?xid=" + fresh + "&b=1");
  custom_view["link_param"] = "xid";
  const auto custom = convert(custom_view);

  CHECK(adopted.visitor_id == "linked-visitor-1");
  CHECK(adopted.page.url == "https://shop.test/?utm_source=partner#top");
  CHECK(adopted.touch.landing_page == adopted.page.url);
  CHECK(adopted.touch.campaign.source == "partner");
  CHECK(stale.visitor_id == "visitor-1");
  CHECK(stale.page.url == "https://shop.test/");
  CHECK(custom.visitor_id == "linked-visitor-1");
  CHECK(custom.page.url == "https://shop.test/a?b=1");
}

TEST_CASE("a collect body carries events and raw views side by side",
          "[raw_view]") {
  const json event{{"id", "e1"}, {"type", "cta_click"}, {"time", t0},
                   {"visitor_id", "v"}, {"session_id", "s"}};
  const json body{{"events", {event}},
                  {"raw_page_views", {raw_view("https://shop.test/"), 1}}};

  const auto read = loopkit::decode_collect_body(body.dump());

  REQUIRE(read);
  REQUIRE(read->events.size() == 1);
  CHECK(read->events[0].id == "e1");
  CHECK(read->raw_page_views.size() == 2);
}

TEST_CASE("a collect body without raw views is a plain batch", "[raw_view]") {
  const json event{{"id", "e1"}, {"type", "page_view"}, {"time", t0},
                   {"visitor_id", "v"}, {"session_id", "s"}};

  const auto object =
      loopkit::decode_collect_body(json{{"events", {event}}}.dump());
  const auto array = loopkit::decode_collect_body(json::array({event}).dump());
  const auto broken = loopkit::decode_collect_body("{\"events\": [");

  REQUIRE(object);
  CHECK(object->events.size() == 1);
  CHECK(object->raw_page_views.empty());
  REQUIRE(array);
  CHECK(array->events.size() == 1);
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message.find("malformed JSON") == 0);
  const auto empty = loopkit::decode_collect_body("{}");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().path.empty());
  CHECK(empty.error().message == "needs events or raw_page_views");
}

TEST_CASE("a collect body with raw views is checked as a whole",
          "[raw_view]") {
  const json bad_event{{"id", "e1"}, {"type", "bogus"}, {"time", t0},
                       {"visitor_id", "v"}, {"session_id", "s"}};
  const json too_many{{"raw_page_views", json(json::array_t(501, 1))}};

  const auto with_bad_event = loopkit::decode_collect_body(
      json{{"events", {bad_event}}, {"raw_page_views", json::array()}}.dump());
  const auto not_array =
      loopkit::decode_collect_body(R"({"raw_page_views": {}})");
  const auto extra = loopkit::decode_collect_body(
      R"({"raw_page_views": [], "event": []})");
  const auto empty = loopkit::decode_collect_body(
      R"({"raw_page_views": [], "events": []})");
  const auto over = loopkit::decode_collect_body(too_many.dump());

  REQUIRE_FALSE(with_bad_event);
  CHECK(with_bad_event.error().path == "/events/0/type");
  REQUIRE_FALSE(not_array);
  CHECK(not_array.error().path == "/raw_page_views");
  REQUIRE_FALSE(extra);
  CHECK(extra.error().path == "/event");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message == "holds no events");
  REQUIRE_FALSE(over);
  CHECK(over.error().path == "/raw_page_views");
}

TEST_CASE_METHOD(raw_fixture,
                 "a raw view of anything but an http(s) page is refused",
                 "[raw_view]") {
  CHECK(error_path(raw_view("javascript:alert(1)")) ==
        "/raw_page_views/0/url");
  CHECK(error_path(raw_view("not a url")) == "/raw_page_views/0/url");
  CHECK(error_path(raw_view("ftp://shop.test/file")) ==
        "/raw_page_views/0/url");
  CHECK(convert(raw_view("HTTP://Shop.Test/a")).page.path == "/a");
}
