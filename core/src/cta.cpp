#include "loopkit/cta.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "loopkit/event.h"
#include "loopkit/redact.h"
#include "loopkit/text.h"
#include "loopkit/url.h"
#include "page_rules.h"

namespace loopkit {

using nlohmann::json;
using detail::string_prop;

namespace {

constexpr std::size_t max_cta_text = 100;
constexpr std::size_t max_href = 1024;
// A click position beyond this many CSS pixels is a bug, not a page.
constexpr std::int64_t max_position = 1000000;

// The kinds of link a CTA can be, as the page tells them apart.
bool valid_cta_kind(std::string_view k) {
  return k == "cta" || k == "outbound" || k == "mailto" || k == "tel";
}

// A link as a click keeps it: scheme, host and path of an http(s) URL,
// addresses scrubbed; "" for anything else (mailto:, tel:, javascript:, a
// relative or broken URL). The query and fragment can carry anything.
std::string safe_href(std::string_view href, std::string* host) {
  const auto u = parse_url(href);
  if (!u || (u->scheme != "http" && u->scheme != "https") || u->host.empty()) {
    return {};
  }
  std::string out = u->scheme + "://" + u->host;
  if (u->port) out += ":" + std::to_string(*u->port);
  out += u->path;
  if (host) *host = u->host;
  return truncate_utf8(sanitize_utf8(redact_url_emails(out)), max_href);
}

// A position in CSS pixels: a rounded non-negative integer, or nothing.
std::optional<std::int64_t> pixel(const json& props, const char* key) {
  const auto it = props.find(key);
  if (it == props.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  if (v <= 0) return 0;
  if (v >= double(max_position)) return max_position;
  return static_cast<std::int64_t>(std::llround(v));
}

std::size_t count_digits(std::string_view s) {
  return std::count_if(s.begin(), s.end(),
                       [](char c) { return c >= '0' && c <= '9'; });
}

// A CTA click's props from the page's: {cta, text, kind, href?, x?, y?}.
}  // namespace

result<json, json_error> cta_click_props(const json& in) {
  std::string kind = "cta";
  if (const auto it = in.find("kind"); it != in.end() && !it->is_null()) {
    const std::string given = it->is_string() ? it->get<std::string>() : "";
    if (!it->is_string() || (!given.empty() && !valid_cta_kind(given))) {
      return fail(json_error{"/props/kind",
                             "must be cta, outbound, mailto or tel"});
    }
    if (!given.empty()) kind = given;
  }

  // An address or a phone number is personal data: a mailto or tel link
  // keeps neither its href nor a label that spells one out.
  const bool personal = kind == "mailto" || kind == "tel";
  std::string host;
  const std::string href =
      personal ? ""
               : safe_href(string_prop(in, "href", max_text_length), &host);
  std::string text = scrub_emails(string_prop(in, "text", max_cta_text));
  if (kind == "tel" && count_digits(text) >= 5) text.clear();

  std::string cta = scrub_emails(string_prop(in, "cta", 128));
  if (cta.empty()) {
    if (kind == "outbound") cta = host;
    if (personal) cta = kind;
  }
  if (cta.empty()) {
    return fail(json_error{"/props/cta", kind == "outbound"
                                             ? "an outbound click needs the "
                                               "CTA id or an http(s) link"
                                             : "a CTA click needs the CTA id"});
  }

  json out{{"cta", cta}, {"text", text}, {"kind", kind}};
  if (!href.empty()) out["href"] = href;
  if (const auto x = pixel(in, "x")) out["x"] = *x;
  if (const auto y = pixel(in, "y")) out["y"] = *y;
  return out;
}


std::optional<json_error> sanitize_cta_props(json& props) {
  if (!props.is_object()) return std::nullopt;
  std::string kind = "cta";
  if (const auto it = props.find("kind"); it != props.end() && !it->is_null()) {
    const bool text = it->is_string();
    const std::string given = text ? it->get<std::string>() : "";
    if (!text || (!given.empty() && !valid_cta_kind(given))) {
      return json_error{"/props/kind", "must be cta, outbound, mailto or tel"};
    }
    if (!given.empty()) kind = given;
  }
  const bool personal = kind == "mailto" || kind == "tel";
  if (const auto it = props.find("href"); it != props.end()) {
    const std::string href =
        personal || !it->is_string()
            ? std::string()
            : safe_href(string_prop(props, "href", max_text_length), nullptr);
    if (href.empty()) {
      props.erase(it);
    } else {
      *it = href;
    }
  }
  if (const auto it = props.find("text"); it != props.end() && it->is_string()) {
    std::string text = scrub_emails(string_prop(props, "text", max_cta_text));
    if (kind == "tel" && count_digits(text) >= 5) text.clear();
    *it = text;
  }
  for (const char* key : {"x", "y"}) {
    if (const auto it = props.find(key); it != props.end()) {
      if (const auto v = pixel(props, key)) {
        *it = *v;
      } else {
        props.erase(it);
      }
    }
  }
  return std::nullopt;
}

}  // namespace loopkit
