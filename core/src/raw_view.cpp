#include "loopkit/raw_view.h"

#include <initializer_list>
#include <optional>
#include <utility>

#include "link_id.h"
#include "loopkit/redact.h"
#include "loopkit/sha256.h"
#include "loopkit/text.h"
#include "loopkit/url.h"
#include "page_rules.h"

namespace loopkit {

using nlohmann::json;

using detail::clean;
using detail::derive_channel;
using detail::is_external;
using detail::max_path;
using detail::max_title;
using detail::same_campaign;

namespace {

// The page's own cuts (tracker.cpp), so a view stores the same text
// whichever side read it.
constexpr std::size_t max_site = 128;
constexpr std::int64_t day_ms = 24 * 60 * 60 * 1000;

// The fields of one raw view, checked; the first problem wins.
struct raw_fields {
  std::string id;
  std::string visitor_id;
  std::string session_id;
  std::string site;
  std::string url;
  std::string referrer;
  std::string title;
  std::int64_t time = 0;
  std::string link_param{link_id::default_param};
};

class raw_reader {
 public:
  raw_reader(const json& raw, std::string_view path)
      : raw_(raw), path_(path) {}

  std::optional<json_error> read(raw_fields& f) {
    if (!raw_.is_object()) return json_error{path_, "must be an object"};
    for (const auto& item : raw_.items()) {
      if (!known(item.key())) {
        return json_error{path_ + "/" + item.key(), "unknown field"};
      }
    }
    if (text("id", f.id, max_id_length, true) &&
        id("id", f.id) &&
        text("visitor_id", f.visitor_id, max_id_length, true) &&
        id("visitor_id", f.visitor_id) &&
        text("session_id", f.session_id, max_id_length, false) &&
        (f.session_id.empty() || id("session_id", f.session_id)) &&
        text("site", f.site, max_site, false) &&
        text("url", f.url, max_url_length, true) && web_page(f.url) &&
        text("referrer", f.referrer, max_url_length, false) &&
        text("title", f.title, max_text_length, false) &&
        text("link_param", f.link_param, max_id_length, false) &&
        param_name(f.link_param)) {
      time(f.time);
    }
    return error_;
  }

 private:
  static bool known(std::string_view key) {
    for (const std::string_view k : {"id", "visitor_id", "session_id", "site",
                                     "url", "referrer", "title", "time",
                                     "link_param"}) {
      if (key == k) return true;
    }
    return false;
  }

  // A page a browser showed: an http(s) URL. "javascript:..." or a bare
  // word is no page view, whatever sent it.
  bool web_page(const std::string& url) {
    const auto parsed = parse_url(url);
    if (parsed && (parsed->scheme == "http" || parsed->scheme == "https")) {
      return true;
    }
    return fail_at("url", "must be an http or https URL");
  }

  bool param_name(const std::string& name) {
    return link_id::valid_param_name(name) ||
           fail_at("link_param", "must be 1 to 32 of A-Z a-z 0-9 - _");
  }

  bool fail_at(std::string_view key, std::string message) {
    error_ = json_error{path_ + "/" + std::string(key), std::move(message)};
    return false;
  }

  bool text(std::string_view key, std::string& out, std::size_t max,
            bool required) {
    const auto it = raw_.find(key);
    if (it == raw_.end()) return !required || fail_at(key, "is required");
    if (!it->is_string()) return fail_at(key, "must be a string");
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > max) {
      return fail_at(key, "longer than " + std::to_string(max) + " bytes");
    }
    if (required && s.empty()) return fail_at(key, "must not be empty");
    out = s;
    return true;
  }

  bool id(std::string_view key, const std::string& value) {
    return is_event_id(value) ||
           fail_at(key, "may hold only letters, digits and -_.:");
  }

  bool time(std::int64_t& out) {
    const auto it = raw_.find("time");
    if (it == raw_.end()) return fail_at("time", "is required");
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
      return fail_at("time", "must be a non-negative integer");
    }
    out = it->get<std::int64_t>();
    return true;
  }

  const json& raw_;
  std::string path_;
  std::optional<json_error> error_;
};

}  // namespace

std::string raw_session_id(std::string_view visitor_id, std::int64_t time_ms) {
  const std::int64_t day = time_ms / day_ms;
  std::string key(visitor_id);
  key += ':';
  key += std::to_string(day);
  return sha256_hex(key).substr(0, 32);
}

result<event, decode_error> page_view_from_raw(
    const json& raw, const raw_view_settings& settings,
    std::string_view path) {
  raw_fields f;
  if (auto error = raw_reader(raw, path).read(f)) {
    return fail(std::move(*error));
  }

  // What tracker::page_view does with the same three strings: the link
  // parameter goes first, and a fresh one names the visitor. Everything
  // else is derived from redacted copies, so an address in a URL is never
  // stored.
  event e;
  e.id = f.id;
  e.type = event_type::page_view;
  e.time = f.time;
  e.visitor_id = f.visitor_id;
  if (auto stripped = link_id::strip_param(f.url, f.link_param)) {
    f.url = std::move(stripped->url);
    if (auto id = link_id::fresh_visitor(stripped->value, f.time)) {
      e.visitor_id = std::move(*id);
    }
  }
  e.session_id = f.session_id.empty() ? raw_session_id(e.visitor_id, f.time)
                                      : f.session_id;
  e.site = f.site;
  const std::string safe_url = redact_url_emails(f.url);
  const auto parsed = parse_url(safe_url);
  e.page.url = clean(safe_url, max_text_length);
  e.page.path =
      parsed ? truncate_utf8(sanitize_utf8(parsed->path), max_path) : "";
  e.page.title = clean(scrub_emails(f.title), max_title);
  e.page.referrer = clean(redact_url_emails(f.referrer), max_text_length);

  const campaign c =
      parsed ? extract_campaign(*parsed, settings.campaign) : campaign{};
  const referrer_info ref = classify_referrer(
      e.page.referrer, parsed ? parsed->host : std::string_view{},
      settings.referrers, settings.referrer);
  e.touch.campaign = c;
  e.touch.referrer = ref;
  e.touch.referrer_url = is_external(ref.medium) ? e.page.referrer : "";
  e.touch.landing_page = e.page.url;
  e.touch.time = f.time;
  derive_channel(e.touch, settings.channels);

  // Read back as any posted event is, so the collector's own checks and
  // redaction apply to raw views too; only a bug in this file fails here.
  auto checked = decode_event(to_json(e), path);
  if (!checked) return fail(checked.error());
  return std::move(*checked);
}

bool continue_session(event& view, const touch_info& session_touch) {
  const campaign& c = view.touch.campaign;
  const referrer_info& ref = view.touch.referrer;
  const bool new_campaign =
      !c.empty() && !same_campaign(c, session_touch.campaign);
  const bool new_referrer =
      is_external(ref.medium) && ref.host != session_touch.referrer.host;
  if (new_campaign || new_referrer) return false;
  view.touch = session_touch;
  return true;
}

bool join_running_session(event& view, const std::string& session_id,
                          std::int64_t last_time, const touch_info& touch,
                          std::int64_t timeout_ms) {
  if (session_id.empty() || view.time < last_time ||
      view.time - last_time > timeout_ms) {
    return false;
  }
  if (!continue_session(view, touch)) return false;
  view.session_id = session_id;
  return true;
}

result<collect_body, decode_error> decode_collect_body(std::string_view body) {
  if (body.size() > max_batch_bytes) return fail(decode_batch(body).error());
  json doc = json::parse(body, nullptr, false);
  if (doc.is_object() && doc.empty()) {
    return fail(json_error{"", "needs events or raw_page_views"});
  }
  // Anything but an object with raw views is a plain batch; decode_batch
  // also says where malformed JSON broke.
  if (doc.is_discarded() || !doc.is_object() ||
      !doc.contains("raw_page_views")) {
    auto events = decode_batch(body);
    if (!events) return fail(events.error());
    collect_body out;
    out.events = std::move(*events);
    return out;
  }

  for (const auto& item : doc.items()) {
    if (item.key() != "events" && item.key() != "raw_page_views") {
      return fail(json_error{"/" + item.key(), "unknown field"});
    }
  }
  collect_body out;
  json& raw = doc["raw_page_views"];
  if (!raw.is_array()) {
    return fail(json_error{"/raw_page_views", "must be an array"});
  }
  if (raw.size() > max_batch_events) {
    return fail(json_error{"/raw_page_views",
                           "more than " + std::to_string(max_batch_events) +
                               " raw page views"});
  }
  out.raw_page_views = std::move(raw);

  if (const auto it = doc.find("events"); it != doc.end()) {
    if (!it->is_array()) {
      return fail(json_error{"/events", "must be an array of events"});
    }
    if (it->size() > max_batch_events) {
      return fail(json_error{"/events", "more than " +
                                            std::to_string(max_batch_events) +
                                            " events"});
    }
    out.events.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      auto e = decode_event((*it)[i], "/events/" + std::to_string(i));
      if (!e) return fail(e.error());
      out.events.push_back(std::move(*e));
    }
  }
  if (out.events.empty() && out.raw_page_views.empty()) {
    return fail(json_error{"", "holds no events"});
  }
  return out;
}

}  // namespace loopkit
