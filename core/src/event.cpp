#include "loopkit/event.h"

#include <algorithm>
#include <initializer_list>

#include "loopkit/channel.h"
#include "loopkit/cta.h"
#include "loopkit/redact.h"
#include "loopkit/text.h"

namespace loopkit {

using nlohmann::json;

const char* to_string(event_type t) {
  switch (t) {
    case event_type::page_view: return "page_view";
    case event_type::cta_click: return "cta_click";
    case event_type::discount_code: return "discount_code";
    case event_type::lead: return "lead";
    case event_type::track: return "track";
    case event_type::status_change: return "status_change";
  }
  return "track";
}

std::optional<event_type> parse_event_type(std::string_view s) {
  for (auto t : {event_type::page_view, event_type::cta_click,
                 event_type::discount_code, event_type::lead,
                 event_type::track, event_type::status_change}) {
    if (s == to_string(t)) return t;
  }
  return std::nullopt;
}

json to_json(const campaign& c) {
  return json{{"source", c.source},     {"medium", c.medium},
              {"name", c.name},         {"term", c.term},
              {"content", c.content},   {"id", c.id},
              {"click_id", c.click_id}, {"click_id_type", c.click_id_type},
              {"discount_code", c.discount_code}};
}

json to_json(const referrer_info& r) {
  return json{{"medium", to_string(r.medium)},
              {"source", r.source},
              {"term", r.term},
              {"host", r.host}};
}

json to_json(const touch_info& t) {
  json referrer = to_json(t.referrer);
  referrer["url"] = t.referrer_url;
  json j{{"campaign", to_json(t.campaign)},
         {"referrer", std::move(referrer)},
         {"landing_page", t.landing_page},
         {"time", t.time}};
  if (!t.channel.empty()) {
    j["source"] = t.source;
    j["medium"] = t.medium;
    j["channel"] = t.channel;
  }
  return j;
}

json to_json(const event& e) {
  json j{{"id", e.id},
         {"type", to_string(e.type)},
         {"time", e.time},
         {"visitor_id", e.visitor_id},
         {"session_id", e.session_id},
         {"site", e.site},
         {"page",
          {{"url", e.page.url},
           {"path", e.page.path},
           {"title", e.page.title},
           {"referrer", e.page.referrer}}},
         {"touch", to_json(e.touch)},
         {"props", e.props}};
  if (e.type == event_type::track) j["name"] = e.name;
  return j;
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// Reads one object's fields, remembering the first error with its path.
class reader {
 public:
  reader(const json& obj, std::string path) : obj_(obj), path_(std::move(path)) {}

  bool object(std::initializer_list<std::string_view> allowed) {
    if (!obj_.is_object()) return error("", "must be an object");
    for (const auto& item : obj_.items()) {
      bool known = false;
      for (const auto a : allowed) known = known || item.key() == a;
      if (!known) return error("/" + item.key(), "unknown field");
    }
    return true;
  }

  // An optional string, at most max bytes.
  bool text(std::string_view key, std::string& out,
            std::size_t max = max_text_length, bool required = false) {
    const auto it = obj_.find(key);
    if (it == obj_.end()) {
      return required ? error("/" + std::string(key), "is required") : true;
    }
    if (!it->is_string()) {
      return error("/" + std::string(key), "must be a string");
    }
    const auto& s = it->get_ref<const std::string&>();
    if (s.size() > max) {
      return error("/" + std::string(key),
                   "longer than " + std::to_string(max) + " bytes");
    }
    if (required && s.empty()) {
      return error("/" + std::string(key), "must not be empty");
    }
    out = s;
    return true;
  }

  bool integer(std::string_view key, std::int64_t& out, bool required) {
    const auto it = obj_.find(key);
    if (it == obj_.end()) {
      return required ? error("/" + std::string(key), "is required") : true;
    }
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
      return error("/" + std::string(key), "must be a non-negative integer");
    }
    out = it->get<std::int64_t>();
    return true;
  }

  const json* child(std::string_view key) const {
    const auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }

  std::string path(std::string_view key) const {
    return path_ + "/" + std::string(key);
  }

  bool error(const std::string& where, std::string message) {
    if (!err_) err_ = json_error{path_ + where, std::move(message)};
    return false;
  }
  bool fail_with(json_error e) {
    if (!err_) err_ = std::move(e);
    return false;
  }

  std::optional<json_error> err_;

 private:
  const json& obj_;
  std::string path_;
};

bool read_id(reader& r, std::string_view key, std::string& out) {
  if (!r.text(key, out, max_id_length, true)) return false;
  if (!is_event_id(out)) {
    return r.error("/" + std::string(key),
                   "may hold only letters, digits and -_.:");
  }
  return true;
}

bool read_campaign(const json& j, const std::string& path, campaign& c,
                   reader& parent) {
  reader r(j, path);
  const bool ok =
      r.object({"source", "medium", "name", "term", "content", "id",
                "click_id", "click_id_type", "discount_code"}) &&
      r.text("source", c.source, max_campaign_value) &&
      r.text("medium", c.medium, max_campaign_value) &&
      r.text("name", c.name, max_campaign_value) &&
      r.text("term", c.term, max_campaign_value) &&
      r.text("content", c.content, max_campaign_value) &&
      r.text("id", c.id, max_campaign_value) &&
      r.text("click_id", c.click_id, max_campaign_value) &&
      r.text("click_id_type", c.click_id_type, 32) &&
      r.text("discount_code", c.discount_code, max_campaign_value);
  return ok || parent.fail_with(*r.err_);
}

bool read_touch(const json& j, const std::string& path, touch_info& t,
                reader& parent) {
  reader r(j, path);
  if (!r.object({"campaign", "referrer", "landing_page", "time", "source",
                 "medium", "channel"}) ||
      !r.text("landing_page", t.landing_page) ||
      !r.integer("time", t.time, false) ||
      !r.text("source", t.source, max_campaign_value) ||
      !r.text("medium", t.medium, max_campaign_value) ||
      !r.text("channel", t.channel, max_channel_name)) {
    return parent.fail_with(*r.err_);
  }
  if (const json* c = r.child("campaign")) {
    if (!read_campaign(*c, r.path("campaign"), t.campaign, parent)) {
      return false;
    }
  }
  if (const json* ref = r.child("referrer")) {
    reader rr(*ref, r.path("referrer"));
    std::string medium = "direct";
    if (!rr.object({"medium", "source", "term", "host", "url"}) ||
        !rr.text("medium", medium, 32) ||
        !rr.text("source", t.referrer.source, 256) ||
        !rr.text("term", t.referrer.term, 256) ||
        !rr.text("host", t.referrer.host, 256) ||
        !rr.text("url", t.referrer_url)) {
      return parent.fail_with(*rr.err_);
    }
    const auto m = parse_referrer_medium(medium);
    if (!m) {
      return parent.fail_with(
          {rr.path("medium"), "unknown referrer medium \"" + medium + "\""});
    }
    t.referrer.medium = *m;
  }
  return true;
}

// A lead keeps only the fields the page is allowed to capture, whoever sent
// it: a password or card number in "fields" is dropped, not stored.
void keep_allowed_fields(json& props) {
  const auto fields = props.find("fields");
  if (fields == props.end()) return;
  if (!fields->is_object()) {
    props.erase(fields);
    return;
  }
  json kept = json::object();
  for (const char* name : lead_field_allow_list) {
    const auto it = fields->find(name);
    if (it != fields->end() && it->is_string()) kept[name] = *it;
  }
  *fields = std::move(kept);
}

void redact_value(std::string& s) {
  if (looks_like_email(s)) s = "redacted";
}

// The page redacts before sending; the collector does again, for clients
// that are not our snippet.
void redact_emails(event& e) {
  e.page.url = redact_url_emails(e.page.url);
  e.page.referrer = redact_url_emails(e.page.referrer);
  e.touch.landing_page = redact_url_emails(e.touch.landing_page);
  e.touch.referrer_url = redact_url_emails(e.touch.referrer_url);
  campaign& c = e.touch.campaign;
  for (std::string* v : {&c.source, &c.medium, &c.name, &c.term, &c.content,
                         &c.id, &c.click_id, &c.discount_code}) {
    redact_value(*v);
  }
  for (std::string* v : {&e.name, &e.site, &e.page.path, &e.page.title,
                         &e.touch.referrer.term, &e.touch.referrer.source}) {
    *v = scrub_emails(*v);
  }
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

result<event, decode_error> decode_event(const json& j, std::string_view path) {
  reader r(j, std::string(path));
  event e;
  std::string type;
  const bool ok =
      r.object({"id", "type", "name", "time", "visitor_id", "session_id",
                "site", "page", "touch", "props"}) &&
      read_id(r, "id", e.id) && r.text("type", type, 32, true) &&
      r.text("name", e.name, 128) && r.integer("time", e.time, true) &&
      read_id(r, "visitor_id", e.visitor_id) &&
      read_id(r, "session_id", e.session_id) && r.text("site", e.site, 128);
  if (!ok) return fail(*r.err_);

  const auto t = parse_event_type(type);
  if (!t) return fail(json_error{r.path("type"), "unknown event type \"" +
                                                     type + "\""});
  e.type = *t;
  if (e.type == event_type::track && e.name.empty()) {
    return fail(json_error{r.path("name"), "a track event needs a name"});
  }
  if (e.type != event_type::track) e.name.clear();

  if (const json* page = r.child("page")) {
    reader pr(*page, r.path("page"));
    if (!pr.object({"url", "path", "title", "referrer"}) ||
        !pr.text("url", e.page.url) || !pr.text("path", e.page.path) ||
        !pr.text("title", e.page.title) ||
        !pr.text("referrer", e.page.referrer)) {
      return fail(*pr.err_);
    }
  }
  if (const json* touch = r.child("touch")) {
    if (!read_touch(*touch, r.path("touch"), e.touch, r)) return fail(*r.err_);
  }

  if (const json* props = r.child("props")) {
    if (!props->is_object()) {
      return fail(json_error{r.path("props"), "must be an object"});
    }
    if (dump(*props).size() > max_props_bytes) {
      return fail(json_error{r.path("props"), "larger than " +
                                                  std::to_string(max_props_bytes) +
                                                  " bytes"});
    }
    e.props = *props;
    // The page's tracker applies these rules before it sends; a client
    // that skipped them gets the same answer here.
    if (e.type == event_type::cta_click) {
      if (const auto bad = sanitize_cta_props(e.props)) {
        return fail(json_error{r.path("props") + bad->path.substr(6),
                               bad->message});  // bad->path is "/props/..."
      }
    }
    if (const auto code = e.props.find("code");
        e.type == event_type::discount_code && code != e.props.end() &&
        code->is_string() &&
        looks_like_email(code->get_ref<const std::string&>())) {
      return fail(json_error{r.path("props") + "/code",
                             "an email address is not a discount code"});
    }
    if (const auto d = e.props.find("email_domain");
        d != e.props.end() && (!d->is_string() ||
                                  !is_email_domain(d->get_ref<const std::string&>()))) {
      return fail(json_error{r.path("props") + "/email_domain",
                             "must be a domain name"});
    }
    strip_emails(e.props);
    if (e.type == event_type::lead) keep_allowed_fields(e.props);
    if (const auto h = e.props.find("email_sha256"); h != e.props.end()) {
      if (!h->is_string() || !is_hex64(h->get_ref<const std::string&>())) {
        return fail(json_error{r.path("props") + "/email_sha256",
                               "must be 64 lower-case hex digits"});
      }
    }
  }
  // A raw address is never stored, whatever a client sends.
  redact_emails(e);
  return e;
}

bool is_event_id(std::string_view s) {
  if (s.empty() || s.size() > max_id_length) return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool is_email_domain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || static_cast<unsigned char>(c) >= 0x80;
  });
}

result<touch_info, decode_error> decode_touch(const json& j,
                                              std::string_view path) {
  reader r(j, std::string(path));
  touch_info t;
  if (!read_touch(j, std::string(path), t, r)) return fail(*r.err_);
  return t;
}

namespace {

// Reports where the JSON text broke, without exceptions (the WebAssembly
// build cannot catch them).
struct error_locator : nlohmann::json_sax<json> {
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception&) override {
    message = "malformed JSON at byte " + std::to_string(position) +
              " near \"" + truncate_utf8(sanitize_utf8(last_token), 40) + "\"";
    return false;
  }
};

}  // namespace

result<std::vector<event>, decode_error> decode_batch(std::string_view body) {
  if (body.size() > max_batch_bytes) {
    return fail(json_error{"", "batch larger than " +
                                   std::to_string(max_batch_bytes) + " bytes"});
  }
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded()) {
    error_locator locator;
    json::sax_parse(body, &locator);
    return fail(json_error{"", locator.message.empty() ? "malformed JSON"
                                                       : locator.message});
  }

  const json* list = &doc;
  std::string prefix;
  if (doc.is_object()) {
    for (const auto& item : doc.items()) {
      if (item.key() != "events") {
        return fail(json_error{"/" + item.key(), "unknown field"});
      }
    }
    const auto it = doc.find("events");
    if (it == doc.end()) return fail(json_error{"/events", "is required"});
    list = &*it;
    prefix = "/events";
  }
  if (!list->is_array()) {
    return fail(json_error{prefix, "must be an array of events"});
  }
  if (list->empty()) return fail(json_error{prefix, "holds no events"});
  if (list->size() > max_batch_events) {
    return fail(json_error{prefix, "more than " +
                                       std::to_string(max_batch_events) +
                                       " events"});
  }

  std::vector<event> events;
  events.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto e = decode_event((*list)[i], prefix + "/" + std::to_string(i));
    if (!e) return fail(e.error());
    events.push_back(std::move(*e));
  }
  return events;
}

}  // namespace loopkit
