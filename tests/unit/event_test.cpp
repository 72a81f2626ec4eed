#include <catch2/catch.hpp>

#include <string>

#include "loopkit/event.h"

using loopkit::decode_batch;
using loopkit::decode_event;
using nlohmann::json;

namespace {

json minimal_event(const std::string& id = "e1") {
  return json{{"id", id},
              {"type", "page_view"},
              {"time", 1764000000000},
              {"visitor_id", "v1"},
              {"session_id", "s1"}};
}

}  // namespace

TEST_CASE("an event round-trips through its JSON form", "[event]") {
  json j = minimal_event();
  j["site"] = "demo";
  j["page"] = {{"url", "https://s.test/?utm_source=x"},
               {"path", "/"},
               {"title", "Home"},
               {"referrer", "https://www.google.com/"}};
  j["touch"] = {{"campaign", {{"source", "x"}, {"medium", "email"}}},
                {"referrer", {{"medium", "search"}, {"source", "Google"}}},
                {"landing_page", "https://s.test/?utm_source=x"},
                {"time", 1764000000000}};
  j["props"] = {{"k", "v"}};

  const auto e = decode_event(j);

  REQUIRE(e);
  CHECK(e->type == loopkit::event_type::page_view);
  CHECK(e->touch.campaign.medium == "email");
  CHECK(e->touch.referrer.medium == loopkit::referrer_medium::search);
  const json back = loopkit::to_json(*e);
  CHECK(back["touch"]["campaign"]["source"] == "x");
  CHECK(back["touch"]["campaign"]["name"] == "");
  CHECK(back["page"]["title"] == "Home");
  CHECK(back["props"] == json{{"k", "v"}});
  CHECK(decode_event(back));
  CHECK_FALSE(back.contains("name"));
}

TEST_CASE("event type names map both ways", "[event]") {
  for (const char* name :
       {"page_view", "cta_click", "discount_code", "lead", "track"}) {
    const auto t = loopkit::parse_event_type(name);
    REQUIRE(t);
    CHECK(std::string(loopkit::to_string(*t)) == name);
  }
  CHECK_FALSE(loopkit::parse_event_type("PAGE_VIEW"));
}

TEST_CASE("a bad event is rejected with the path of the bad value",
          "[event]") {
  json unknown_type = minimal_event();
  unknown_type["type"] = "purchase";
  const auto a = decode_event(unknown_type);
  REQUIRE_FALSE(a);
  CHECK(a.error().path == "/type");
  CHECK(a.error().message == "unknown event type \"purchase\"");

  json no_time = minimal_event();
  no_time.erase("time");
  CHECK(decode_event(no_time).error().path == "/time");

  json neg_time = minimal_event();
  neg_time["time"] = -5;
  CHECK(decode_event(neg_time).error().path == "/time");

  json extra = minimal_event();
  extra["colour"] = "red";
  CHECK(decode_event(extra).error().path == "/colour");

  json bad_id = minimal_event("<script>");
  CHECK(decode_event(bad_id).error().path == "/id");

  json bad_nested = minimal_event();
  bad_nested["touch"] = {{"referrer", {{"medium", "carrier-pigeon"}}}};
  CHECK(decode_event(bad_nested).error().path == "/touch/referrer/medium");

  json track = minimal_event();
  track["type"] = "track";
  CHECK(decode_event(track).error().path == "/name");

  CHECK(decode_event(json::array()).error().message == "must be an object");
}

TEST_CASE("a raw email in props is dropped, a hash must be a hash",
          "[event]") {
  json j = minimal_event();
  j["type"] = "lead";
  j["props"] = {{"email", "jane@example.com"}, {"form", "signup"}};
  const auto e = decode_event(j);
  REQUIRE(e);
  CHECK_FALSE(e->props.contains("email"));
  CHECK(e->props["form"] == "signup");

  j["props"] = {{"fields", {{"Email", "a@b.co"}, {"name", "Jane"},
                            {"note", "write to jane@example.com please"}}},
                {"list", {"x", "bob@corp.example"}}};
  const auto nested = decode_event(j);
  REQUIRE(nested);
  CHECK(nested->props ==
        json{{"fields", {{"name", "Jane"}}}, {"list", {"x"}}});

  j["props"] = {{"email_sha256", "not-a-hash"}};
  CHECK(decode_event(j).error().path == "/props/email_sha256");
}

TEST_CASE("oversized fields are refused", "[event]") {
  json j = minimal_event();
  j["page"] = {{"title", std::string(loopkit::max_text_length + 1, 't')}};
  CHECK(decode_event(j).error().path == "/page/title");

  json p = minimal_event();
  p["props"] = {{"blob", std::string(loopkit::max_props_bytes, 'b')}};
  CHECK(decode_event(p).error().path == "/props");
}

TEST_CASE("a batch decodes from an object or an array", "[event]") {
  const std::string one = minimal_event("a").dump();
  const std::string two = minimal_event("b").dump();

  const auto wrapped = decode_batch("{\"events\":[" + one + "," + two + "]}");
  REQUIRE(wrapped);
  CHECK(wrapped->size() == 2);
  CHECK((*wrapped)[1].id == "b");

  const auto bare = decode_batch("[" + one + "]");
  REQUIRE(bare);
  CHECK(bare->size() == 1);
}

TEST_CASE("one bad event rejects its whole batch, naming it", "[event]") {
  json bad = minimal_event("b");
  bad["type"] = "nope";
  const std::string body =
      json{{"events", {minimal_event("a"), bad}}}.dump();

  const auto r = decode_batch(body);

  REQUIRE_FALSE(r);
  CHECK(r.error().path == "/events/1/type");
}

TEST_CASE("malformed batches get a clear message", "[event]") {
  const auto broken = decode_batch("{\"events\": [tru");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message.rfind("malformed JSON at byte", 0) == 0);

  CHECK(decode_batch("").error().message.rfind("malformed JSON", 0) == 0);
  CHECK(decode_batch("{\"events\": []}").error().message == "holds no events");
  CHECK(decode_batch("{\"evts\": []}").error().path == "/evts");
  CHECK(decode_batch("42").error().message == "must be an array of events");
  CHECK(decode_batch(std::string(loopkit::max_batch_bytes + 1, ' '))
            .error()
            .message == "batch larger than 262144 bytes");
  CHECK(decode_batch("[\"\xFF\"]").error().message.rfind("malformed JSON", 0) ==
        0);
}

TEST_CASE("too many events in one batch are refused", "[event]") {
  json list = json::array();
  for (std::size_t i = 0; i <= loopkit::max_batch_events; ++i) {
    list.push_back(minimal_event("e" + std::to_string(i)));
  }
  CHECK(decode_batch(list.dump()).error().message == "more than 500 events");
}

TEST_CASE("addresses in URLs and campaign values are redacted on decode",
          "[event]") {
  json j = minimal_event();
  j["page"] = {{"url", "https://s.test/thanks?email=a%40b.co&plan=pro"}};
  j["touch"] = {{"campaign", {{"content", "a@b.co"}, {"source", "news"}}},
                {"landing_page", "https://s.test/?e=a@b.co"}};

  const auto e = decode_event(j);

  REQUIRE(e);
  CHECK(e->page.url == "https://s.test/thanks?email=redacted&plan=pro");
  CHECK(e->touch.landing_page == "https://s.test/?e=redacted");
  CHECK(e->touch.campaign.content == "redacted");
  CHECK(e->touch.campaign.source == "news");
}

TEST_CASE("a lead keeps only allowed fields, whoever sends it", "[event]") {
  json j = minimal_event();
  j["type"] = "lead";
  j["props"] = {{"fields", {{"name", "Ann"},
                            {"password", "hunter2"},
                            {"card", "4111111111111111"}}}};

  const auto e = decode_event(j);

  REQUIRE(e);
  CHECK(e->props["fields"] == json{{"name", "Ann"}});
}

TEST_CASE("addresses in names, paths and titles are scrubbed", "[event]") {
  json j = minimal_event();
  j["type"] = "track";
  j["name"] = "user:api.raw@example.com";
  j["page"] = {{"path", "/u/a@b.co/x"}, {"title", "Hi a@b.co"}};

  const auto e = decode_event(j);

  REQUIRE(e);
  CHECK(e->name == "user:redacted");
  CHECK(e->page.path == "/u/redacted/x");
  CHECK(e->page.title == "Hi redacted");
}

TEST_CASE("the collector applies the page's CTA rules to a click it is sent",
          "[event]") {
  const auto click = [](nlohmann::json props) {
    return nlohmann::json{{"id", "e-1"}, {"type", "cta_click"},
                          {"time", 1764000000000}, {"visitor_id", "v-1"},
                          {"session_id", "s-1"}, {"props", std::move(props)}};
  };
  const auto bad_kind =
      loopkit::decode_event(click({{"cta", "x"}, {"kind", "javascript"}}));
  REQUIRE_FALSE(bad_kind);
  CHECK(bad_kind.error().path == "/props/kind");

  const auto e = loopkit::decode_event(click(
      {{"cta", "buy"}, {"kind", "outbound"}, {"label", "kept"},
       {"href", "https://shop.test/cart?token=secret#x"}, {"x", -4.2},
       {"y", 12.6}}));
  REQUIRE(e);
  CHECK(e->props == nlohmann::json{{"cta", "buy"}, {"kind", "outbound"},
                                   {"label", "kept"},
                                   {"href", "https://shop.test/cart"},
                                   {"x", 0}, {"y", 13}});

  const auto script = loopkit::decode_event(
      click({{"cta", "x"}, {"href", "javascript:alert(1)"}}));
  REQUIRE(script);
  CHECK_FALSE(script->props.contains("href"));
  const auto mail = loopkit::decode_event(click(
      {{"kind", "mailto"}, {"cta", "mailto"}, {"href", "mailto:a@b.test"}}));
  REQUIRE(mail);
  CHECK_FALSE(mail->props.contains("href"));
}

TEST_CASE("the collector refuses an address as a discount code and a "
          "lead's email domain with markup",
          "[event]") {
  nlohmann::json code{{"id", "e-1"}, {"type", "discount_code"},
                      {"time", 1764000000000}, {"visitor_id", "v-1"},
                      {"session_id", "s-1"},
                      {"props", {{"code", "jane@corp.example"}}}};
  const auto c = loopkit::decode_event(code);
  REQUIRE_FALSE(c);
  CHECK(c.error().path == "/props/code");

  nlohmann::json lead = code;
  lead["type"] = "lead";
  lead["props"] = {{"form", "f"}, {"email_domain", "<b>corp</b>.example"}};
  const auto l = loopkit::decode_event(lead);
  REQUIRE_FALSE(l);
  CHECK(l.error().path == "/props/email_domain");
  lead["props"]["email_domain"] = "corp.example";
  CHECK(loopkit::decode_event(lead));
}
