// The web-platform-tests URL cases (peer-cases/whatwg-url) through
// parse_url and parse_query. Scoring follows peer-cases/README.md: a success
// case passes when every component matches, a failure case when parsing
// fails.
#include <catch2/catch.hpp>

#include <iostream>
#include <string>

#include "loopkit/query.h"
#include "loopkit/text.h"
#include "loopkit/url.h"
#include "peer_cases.h"

namespace lc = loopkit::conformance;
using nlohmann::json;

namespace {

// The scheme of raw input as the parser will see it (C0 controls and spaces
// trimmed, tabs and newlines removed, lower-cased), or empty when the input
// has none and is therefore a relative reference.
std::string scheme_of(const std::string& input) {
  std::string out;
  std::size_t i = 0;
  while (i < input.size() && static_cast<unsigned char>(input[i]) <= 0x20) ++i;
  for (; i < input.size(); ++i) {
    const char c = input[i];
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == ':') return loopkit::ascii_lower(out);
    const bool alpha = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    const bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' ||
                       c == '.';
    if (!alpha && (out.empty() || !other)) return {};
    out += c;
  }
  return {};
}

bool is_special(const std::string& scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ws" ||
         scheme == "wss" || scheme == "ftp" || scheme == "file";
}

// A base changes the result only for a relative reference, or for a special
// scheme the base shares ("http:x" against "http://a/" is relative):
// https://url.spec.whatwg.org/#scheme-state. Otherwise the input parses as
// it would with no base, as long as the base itself is a URL.
bool base_is_irrelevant(const std::string& input, const json& base) {
  if (base.is_null()) return true;
  const std::string base_text = base.get<std::string>();
  const std::string scheme = scheme_of(input);
  if (scheme.empty() || !loopkit::parse_url(base_text)) return false;
  return !is_special(scheme) || scheme_of(base_text) != scheme;
}

// True when the host text of a special URL, once percent-decoded, has
// non-ASCII bytes: those cases need IDNA (UTS 46), which the core only
// approximates.
bool has_non_ascii_host(const std::string& input) {
  std::string text;
  for (const char c : input) {
    if (c != '\t' && c != '\n' && c != '\r') text += c;
  }
  std::size_t i = text.find(':');
  if (i == std::string::npos) return false;
  ++i;
  while (i < text.size() && (text[i] == '/' || text[i] == '\\')) ++i;
  std::size_t end = i;
  while (end < text.size() && text[end] != '/' && text[end] != '\\' &&
         text[end] != '?' && text[end] != '#') {
    ++end;
  }
  std::string host = text.substr(i, end - i);
  if (const auto at = host.rfind('@'); at != std::string::npos) {
    host = host.substr(at + 1);
  }
  const std::string decoded = loopkit::percent_decode(host, false);
  for (const char c : host + decoded) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

std::string port_text(const loopkit::url& u) {
  return u.port ? std::to_string(*u.port) : "";
}

std::string search_text(const loopkit::url& u) {
  return u.has_query && !u.query.empty() ? "?" + u.query : "";
}

std::string hash_text(const loopkit::url& u) {
  return u.has_fragment && !u.fragment.empty() ? "#" + u.fragment : "";
}

// What we produced, in the getters' terms, for failure reports.
using parse_result = loopkit::result<loopkit::url, loopkit::url_error>;

std::string describe(const parse_result& r) {
  if (!r) return std::string("failure ") + loopkit::to_string(r.error());
  return "host \"" + r->host + "\" port \"" + port_text(*r) + "\" path \"" +
         r->path + "\" search \"" + search_text(*r) + "\" hash \"" +
         hash_text(*r) + "\" href \"" + serialize(*r) + "\"";
}

// The expected href without user info, which parse_url drops by design.
std::string href_without_credentials(const json& c) {
  if (c["username"] == "" && c["password"] == "") return c["href"];
  return c["protocol"].get<std::string>() + "//" +
         c["host"].get<std::string>() + c["pathname"].get<std::string>() +
         c["search"].get<std::string>() + c["hash"].get<std::string>();
}

bool components_agree(const loopkit::url& u, const json& c) {
  return u.host == c["hostname"] && port_text(u) == c["port"] &&
         u.path == c["pathname"] && search_text(u) == c["search"] &&
         hash_text(u) == c["hash"];
}

}  // namespace

TEST_CASE("http and https URLs parse as the URL Standard says",
          "[conformance][url]") {
  const auto doc = lc::load_json("whatwg-url/urltestdata.json");
  if (!doc) return;
  REQUIRE(doc->is_array());

  lc::tally ascii{"urltestdata.json http(s), ASCII hosts"};
  lc::tally idna{"urltestdata.json http(s), non-ASCII hosts (informational)"};
  lc::tally other{"urltestdata.json other schemes (informational)"};
  int href_checked = 0, href_agreed = 0, href_had_credentials = 0;

  for (std::size_t i = 0; i < doc->size(); ++i) {
    const json& c = (*doc)[i];
    if (c.is_string()) continue;  // a comment
    const std::string input = c["input"];
    const bool expect_failure = c.contains("failure");
    const std::string scheme =
        expect_failure ? scheme_of(input)
                       : c["protocol"].get<std::string>().substr(
                             0, c["protocol"].get<std::string>().size() - 1);
    const bool http = scheme == "http" || scheme == "https";
    lc::tally& t = !http ? other : has_non_ascii_host(input) ? idna : ascii;
    if (!base_is_irrelevant(input, c["base"])) {
      t.skip("relative to a base");
      continue;
    }

    const auto parsed = loopkit::parse_url(input);
    bool agree = false;
    if (expect_failure) {
      agree = !parsed;
    } else if (parsed) {
      agree = components_agree(*parsed, c);
      if (http && agree) {
        ++href_checked;
        const bool credentials = c["username"] != "" || c["password"] != "";
        href_had_credentials += credentials ? 1 : 0;
        href_agreed += serialize(*parsed) == href_without_credentials(c);
      }
    }

    if (agree) {
      t.pass();
    } else {
      const std::string expected =
          expect_failure ? "failure" : c["href"].get<std::string>();
      t.fail("urltestdata.json#" + std::to_string(i) + " \"" +
             lc::printable(input) + "\": expected " + lc::printable(expected) +
             ", got " + lc::printable(describe(parsed)));
    }
    if (&t == &ascii) {
      INFO("urltestdata.json#" << i << " input: " << lc::printable(input));
      INFO("expected: " << (expect_failure ? "failure" : c["href"].dump()));
      INFO("got: " << describe(parsed));
      CHECK(agree);
    }
  }

  ascii.print();
  std::cout << "  href agreement (user info dropped by design): "
            << href_agreed << " of " << href_checked << " agreeing cases ("
            << href_had_credentials << " had user info)\n";
  idna.print();
  other.print(10);
  CHECK(ascii.failed == 0);
  CHECK(href_agreed == href_checked);
  CHECK(ascii.run >= 268);  // the file did not shrink under us
}

TEST_CASE("form-encoded queries split as URLSearchParams does",
          "[conformance][query]") {
  const auto doc = lc::load_json("whatwg-url/urlencoded-parser-data.json");
  if (!doc) return;
  REQUIRE(doc->is_array());

  lc::tally t{"urlencoded-parser-data.json"};
  for (std::size_t i = 0; i < doc->size(); ++i) {
    const json& c = (*doc)[i];
    if (c.is_string()) continue;
    const std::string input = c["input"];

    const auto params = loopkit::parse_query(input);

    json got = json::array();
    for (const auto& p : params) got.push_back(json::array({p.key, p.value}));
    if (got == c["output"]) {
      t.pass();
    } else {
      t.fail("urlencoded-parser-data.json#" + std::to_string(i) + " \"" +
             lc::printable(input) + "\": got " + got.dump());
    }
    INFO("urlencoded-parser-data.json#" << i << " input: " << input);
    CHECK(got == c["output"]);
  }

  t.print();
  CHECK(t.run == 35);
}

TEST_CASE("queries are percent-encoded as the URL Standard says",
          "[conformance][url]") {
  const auto doc = lc::load_json("whatwg-url/percent-encoding.json");
  if (!doc) return;
  REQUIRE(doc->is_array());

  // Only the utf-8 answers apply: the core reads and writes UTF-8 only.
  lc::tally t{"percent-encoding.json (utf-8)"};
  for (std::size_t i = 0; i < doc->size(); ++i) {
    const json& c = (*doc)[i];
    if (c.is_string()) continue;
    const std::string input = c["input"];
    const std::string expected = c["output"]["utf-8"];

    const auto u = loopkit::parse_url("https://example.com/?" + input);

    const std::string got = u ? u->query : "failure";
    if (got == expected) {
      t.pass();
    } else {
      t.fail("percent-encoding.json#" + std::to_string(i) + ": got " + got);
    }
    INFO("percent-encoding.json#" << i << " input: " << input);
    CHECK(got == expected);
  }

  t.print();
  CHECK(t.run == 7);
}

TEST_CASE("hosts convert to ASCII as far as the core goes",
          "[conformance][url]") {
  const auto doc = lc::load_json("whatwg-url/toascii.json");
  if (!doc) return;
  REQUIRE(doc->is_array());

  // Informational: the core lower-cases ASCII hosts and encodes other
  // labels as Punycode without the UTS 46 tables, so only some of the IDNA
  // cases can agree. Run as WPT does, as the host of https://<input>/x.
  lc::tally ascii{"toascii.json, ASCII input (informational)"};
  lc::tally idna{"toascii.json, non-ASCII input (informational)"};
  for (std::size_t i = 0; i < doc->size(); ++i) {
    const json& c = (*doc)[i];
    if (c.is_string()) continue;
    const std::string input = c["input"];
    bool is_ascii = true;
    for (const char ch : input) {
      is_ascii = is_ascii && static_cast<unsigned char>(ch) < 0x80;
    }
    lc::tally& t = is_ascii ? ascii : idna;

    const auto u = loopkit::parse_url("https://" + input + "/x");

    const bool agree =
        c["output"].is_null()
            ? !u
            : u && u->host == c["output"] && u->path == "/x";
    if (agree) {
      t.pass();
    } else {
      t.fail("toascii.json#" + std::to_string(i) + " \"" +
             lc::printable(input) + "\": expected " + c["output"].dump() +
             ", got " + describe(u));
    }
  }

  ascii.print();
  idna.print(0);
}

TEST_CASE("the ada project's extra URL cases, scored apart",
          "[conformance][url]") {
  // Written by the ada team rather than WPT; informational.
  for (const char* file : {"ada_extra_urltestdata.json",
                           "ada_long_urltestdata.json"}) {
    const auto doc = lc::load_json(std::string("whatwg-url/ada-extra/") + file);
    if (!doc) return;
    REQUIRE(doc->is_array());

    lc::tally t{std::string("ada-extra/") + file + " (informational)"};
    for (std::size_t i = 0; i < doc->size(); ++i) {
      const json& c = (*doc)[i];
      if (c.is_string()) continue;
      const std::string input = c["input"];
      const json base = c.contains("base") ? c["base"] : json();
      if (!base_is_irrelevant(input, base)) {
        t.skip("relative to a base");
        continue;
      }

      const auto parsed = loopkit::parse_url(input);

      const bool agree = c.contains("failure")
                             ? !parsed
                             : parsed && components_agree(*parsed, c);
      if (agree) {
        t.pass();
      } else {
        t.fail(std::string(file) + "#" + std::to_string(i) + " \"" +
               lc::printable(input) + "\": got " + describe(parsed));
      }
    }
    t.print();
  }
}
