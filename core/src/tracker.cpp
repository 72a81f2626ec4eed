#include "loopkit/tracker.h"

#include <algorithm>
#include <cmath>

#include "link_id.h"
#include "page_rules.h"
#include "loopkit/cta.h"
#include "loopkit/redact.h"
#include "loopkit/channel.h"
#include "loopkit/sha256.h"
#include "loopkit/text.h"
#include "loopkit/url.h"

namespace loopkit {

using nlohmann::json;

using detail::clean;
using detail::derive_channel;
using detail::is_external;
using detail::max_path;
using detail::max_title;
using detail::same_campaign;
using detail::string_prop;

namespace {

constexpr std::size_t max_code = 64;
constexpr std::size_t max_field = 256;
constexpr std::size_t max_hosts = 100;
constexpr std::int64_t repeat_click_ms = 1000;
constexpr int state_version = 1;

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  }
  return out;
}

// A host name as a config lists it: lower-cased, without a trailing dot;
// empty when it holds anything a host name cannot.
std::string config_host(std::string_view text) {
  std::string host = ascii_lower(trim(text));
  while (!host.empty() && host.back() == '.') host.pop_back();
  while (!host.empty() && host.front() == '.') host.erase(host.begin());
  for (const char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.' || c == '_';
    if (!ok) return {};
  }
  return host;
}

result<std::vector<std::string>, json_error> read_hosts(const json& v,
                                                        const std::string& at) {
  if (!v.is_array()) return fail(json_error{at, "must be an array of hosts"});
  if (v.size() > max_hosts) {
    return fail(json_error{at, "more than " + std::to_string(max_hosts) +
                                   " hosts"});
  }
  std::vector<std::string> hosts;
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::string host =
        v[i].is_string() ? config_host(v[i].get_ref<const std::string&>()) : "";
    if (host.empty()) {
      return fail(json_error{at + "/" + std::to_string(i),
                             "must be a host name like \"paypal.com\""});
    }
    hosts.push_back(std::move(host));
  }
  return hosts;
}

// Drops the oldest touches beyond the n the history keeps.
void keep_last(std::vector<touch_summary>& touches, std::size_t n) {
  if (touches.size() <= n) return;
  touches.erase(touches.begin(),
                touches.end() - static_cast<std::ptrdiff_t>(n));
}

}  // namespace

// Payment providers send the buyer back with their checkout page as the
// referrer; each entry covers its subdomains (checkout.stripe.com,
// www.paypal.com). GA4's "unwanted referrals" setting exists for the same
// reason.
const std::vector<std::string>& default_excluded_hosts() {
  static const std::vector<std::string> hosts{
      "paypal.com",     "stripe.com",     "klarna.com",
      "adyen.com",      "mollie.com",     "squareup.com",
      "pay.google.com", "pay.amazon.com", "payments.amazon.com",
      "secure.worldpay.com"};
  return hosts;
}

result<tracker_config, model_error> parse_tracker_config(
    std::string_view json_text) {
  tracker_config config;
  if (trim(json_text).empty()) return config;
  const json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return fail(json_error{"", "not valid JSON"});
  if (!doc.is_object()) return fail(json_error{"", "must be an object"});

  const auto strings = [&](const char* key,
                           std::vector<std::string>& out) -> bool {
    const auto it = doc.find(key);
    if (it == doc.end()) return true;
    if (!it->is_array()) return false;
    out.clear();
    for (const auto& v : *it) {
      if (!v.is_string()) return false;
      out.push_back(v.get<std::string>());
    }
    return true;
  };

  for (const auto& item : doc.items()) {
    const std::string& key = item.key();
    const json& v = item.value();
    if (key == "site") {
      if (!v.is_string()) return fail(json_error{"/site", "must be a string"});
      // Every event carries the site, and a decoder scrubs addresses from
      // it: scrubbed here, so what the page keeps is what it sends.
      config.site = scrub_emails(clean(v.get<std::string>(), 128));
    } else if (key == "discount_params") {
      if (!strings("discount_params", config.campaign.discount_params)) {
        return fail(json_error{"/discount_params", "must be an array of strings"});
      }
    } else if (key == "internal_hosts") {
      if (!strings("internal_hosts", config.referrer.internal_hosts)) {
        return fail(json_error{"/internal_hosts", "must be an array of strings"});
      }
    } else if (key == "session_timeout_minutes") {
      if (!v.is_number_integer() || v.get<std::int64_t>() < 1 ||
          v.get<std::int64_t>() > 24 * 60) {
        return fail(json_error{"/session_timeout_minutes",
                               "must be an integer from 1 to 1440"});
      }
      config.session_timeout_ms = v.get<std::int64_t>() * 60 * 1000;
    } else if (key == "scoring") {
      auto model = load_scoring_model(dump(v));
      if (!model) {
        const auto& e = model.error();
        return fail(json_error{"/scoring" + e.path, e.message});
      }
      config.model = std::move(*model);
    } else if (key == "channels") {
      auto rules = load_channel_rules(dump(v));
      if (!rules) {
        const auto& e = rules.error();
        return fail(json_error{"/channels" + e.path, e.message});
      }
      config.channels = std::move(*rules);
    } else if (key == "referrers") {
      if (!v.is_object()) {
        return fail(json_error{"/referrers", "must be an object"});
      }
      auto extended =
          std::make_shared<referrer_database>(default_referrer_database());
      const auto loaded = load_referrer_database(dump(v), *extended);
      if (!loaded) {
        const auto& e = loaded.error();
        return fail(json_error{"/referrers" + e.path, e.message});
      }
      config.referrers = std::move(extended);
    } else if (key == "excluded_hosts" || key == "linked_domains") {
      auto hosts = read_hosts(v, "/" + key);
      if (!hosts) return fail(hosts.error());
      (key == "excluded_hosts" ? config.excluded_hosts
                               : config.linked_domains) = std::move(*hosts);
    } else if (key == "touch_history") {
      if (!v.is_number_integer() || v.get<std::int64_t>() < 1 ||
          v.get<std::int64_t>() > 100) {
        return fail(json_error{"/touch_history",
                               "must be an integer from 1 to 100"});
      }
      config.touch_history = v.get<std::size_t>();
    } else if (key == "link_param") {
      if (!v.is_string() ||
          !link_id::valid_param_name(v.get_ref<const std::string&>())) {
        return fail(json_error{"/link_param",
                               "must be 1 to 32 of A-Z a-z 0-9 - _"});
      }
      config.link_param = v.get<std::string>();
    } else {
      return fail(json_error{"/" + key, "unknown field"});
    }
  }
  return config;
}

tracker::tracker(tracker_config config, std::uint64_t seed_hi,
                 std::uint64_t seed_lo)
    : config_(std::move(config)), ids_(seed_hi, seed_lo) {
  visitor_id_ = ids_.uuid();
  rescore();
}

void tracker::touch_session(std::int64_t now) {
  const bool expired = session_id_.empty() ||
                       now - last_activity_ > config_.session_timeout_ms;
  if (expired) {
    session_id_ = ids_.uuid();
    session_codes_.clear();
    touch_info direct;
    direct.landing_page = page_.url;
    direct.time = now;
    derive_channel(direct, config_.channels);
    start_touch(std::move(direct));
  }
  last_activity_ = std::max(last_activity_, now);
}

void tracker::start_touch(touch_info t) {
  if (!has_touch_) first_touch_ = t;
  has_touch_ = true;
  if (!is_direct(t)) {
    last_non_direct_ = t;
    has_non_direct_ = true;
  }
  touch_history_.push_back(summarize(t));
  keep_last(touch_history_, config_.touch_history);
  last_touch_ = std::move(t);
}

bool tracker::adopt_visitor(std::string_view id) {
  if (!link_id::valid_visitor_id(id)) return false;
  visitor_id_ = std::string(id);
  return true;
}

void tracker::adopt_link(std::string_view value, std::int64_t now) {
  if (auto id = link_id::fresh_visitor(value, now)) visitor_id_ = std::move(*id);
}

std::string tracker::clean_url(std::string_view url) const {
  auto stripped = link_id::strip_param(url, config_.link_param);
  return stripped ? std::move(stripped->url) : std::string();
}

std::string tracker::decorate_link(std::string_view href,
                                   std::string_view page_url,
                                   std::int64_t now) const {
  const auto target = parse_url(href);
  if (!target || (target->scheme != "http" && target->scheme != "https") ||
      !link_id::host_in(target->host, config_.linked_domains)) {
    return {};
  }
  const auto page = parse_url(page_url);
  if (page && page->host == target->host) return {};

  auto stripped = link_id::strip_param(href, config_.link_param);
  const std::string base = stripped ? std::move(stripped->url)
                                    : std::string(href);
  return link_id::add_param(base, config_.link_param,
                            visitor_id_ + "." + link_id::base36(now));
}

event tracker::make_event(event_type type, std::int64_t now) {
  event e;
  e.id = ids_.uuid();
  e.type = type;
  e.time = now;
  e.visitor_id = visitor_id_;
  e.session_id = session_id_;
  e.site = config_.site;
  e.page = page_;
  e.touch = last_touch_;
  return e;
}

void tracker::remember(const event& e) {
  history_.push_back(e);
  history_text_.push_back(dump(to_json(e)));
  trim_history();
  outbox_.push_back(e);
  rescore();
  announce_status();
}

void tracker::trim_history() {
  if (history_.size() <= config_.max_history) return;
  const auto excess =
      static_cast<std::ptrdiff_t>(history_.size() - config_.max_history);
  history_.erase(history_.begin(), history_.begin() + excess);
  history_text_.erase(history_text_.begin(), history_text_.begin() + excess);
}

// ---- live score ----------------------------------------------------------

// As of the latest event: the page's clock between events is not ours to
// read, and the collector scores as of its own clock anyway.
void tracker::rescore() {
  score_ = score_events(config_.model, history_, last_activity_);
}

void tracker::announce_status() {
  if (score_.status == status_) return;
  event change = make_event(event_type::status_change, last_activity_);
  change.props = {{"from", status_},
                  {"to", score_.status},
                  {"points", points_json(score_.points)},
                  {"fit", points_json(score_.fit)},
                  {"engagement", points_json(score_.engagement)},
                  {"grade", score_.grade},
                  {"stage", score_.stage}};
  status_ = score_.status;
  // Not kept in the history: it is never scored.
  outbox_.push_back(std::move(change));
}

void tracker::page_view(std::string_view page_url, std::string_view referrer,
                        std::string_view title, std::int64_t now,
                        std::string_view id) {
  // The link id goes first, fresh or stale: it must not be recorded with
  // the URL, nor become part of the landing page.
  std::string url_text(page_url);
  if (auto stripped = link_id::strip_param(page_url, config_.link_param)) {
    url_text = std::move(stripped->url);
    adopt_link(stripped->value, now);
  }

  // Everything derived below (campaign, touch, landing page) comes from
  // redacted copies, so an address in a URL never leaves the page.
  const std::string safe_url = redact_url_emails(url_text);
  const auto parsed = parse_url(safe_url);
  page_.url = clean(safe_url, max_text_length);
  page_.path = parsed ? truncate_utf8(sanitize_utf8(parsed->path), max_path) : "";
  page_.title = clean(scrub_emails(title), max_title);
  page_.referrer = clean(redact_url_emails(referrer), max_text_length);

  const campaign c =
      parsed ? extract_campaign(*parsed, config_.campaign) : campaign{};
  referrer_info ref = classify_referrer(
      page_.referrer, parsed ? parsed->host : std::string_view{},
      config_.referrers ? *config_.referrers : default_referrer_database(),
      config_.referrer);
  // The return from a payment page (or a linked domain) belongs to the
  // visit that left for it: the referral is no touch of its own.
  if (is_external(ref.medium) &&
      (link_id::host_in(ref.host, config_.excluded_hosts) ||
       link_id::host_in(ref.host, config_.linked_domains))) {
    ref = referrer_info{};
  }

  const bool expired = session_id_.empty() ||
                       now - last_activity_ > config_.session_timeout_ms;
  const bool new_campaign =
      !c.empty() && !same_campaign(c, last_touch_.campaign);
  const bool new_referrer =
      is_external(ref.medium) && ref.host != last_touch_.referrer.host;
  if (expired || new_campaign || new_referrer) {
    session_id_ = ids_.uuid();
    session_codes_.clear();
    touch_info t;
    t.campaign = c;
    t.referrer = ref;
    t.referrer_url = is_external(ref.medium) ? page_.referrer : "";
    t.landing_page = page_.url;
    t.time = now;
    derive_channel(t, config_.channels);
    start_touch(std::move(t));
  }
  last_activity_ = std::max(last_activity_, now);

  event view = make_event(event_type::page_view, now);
  if (is_event_id(id)) view.id = id;
  remember(view);
  if (!c.discount_code.empty()) {
    (void)record("discount_code", "", json{{"code", c.discount_code}, {"via", "url"}},
                 now);
  }
}

result<event, decode_error> tracker::record(std::string_view type_name,
                                            std::string_view name,
                                            const json& props,
                                            std::int64_t now) {
  const auto type = parse_event_type(type_name);
  if (!type) {
    return fail(json_error{"/type", "unknown event type \"" +
                                        clean(type_name, 32) + "\""});
  }
  if (*type == event_type::page_view) {
    return fail(json_error{"/type", "page views are recorded by page_view"});
  }
  if (*type == event_type::status_change) {
    return fail(json_error{"/type", "status changes follow from the score"});
  }
  if (!props.is_null() && !props.is_object()) {
    return fail(json_error{"/props", "must be an object"});
  }
  const json& in = props.is_object() ? props : json::object();

  json out = json::object();
  std::string event_name;
  switch (*type) {
    case event_type::cta_click: {
      auto click = cta_click_props(in);
      if (!click) return fail(click.error());
      const std::string& cta = (*click)["cta"].get_ref<const std::string&>();
      if (repeat_click(cta, now)) {
        return fail(json_error{"/props/cta", "repeat click"});
      }
      out = std::move(*click);
      break;
    }
    case event_type::discount_code: {
      const std::string code = string_prop(in, "code", max_code);
      if (code.empty()) {
        return fail(json_error{"/props/code", "a discount code is empty"});
      }
      if (looks_like_email(code)) {
        return fail(json_error{"/props/code",
                               "an email address is not a discount code"});
      }
      const std::string key = upper(code);
      if (std::find(session_codes_.begin(), session_codes_.end(), key) !=
          session_codes_.end()) {
        return fail(json_error{"/props/code",
                               "code already recorded in this session"});
      }
      std::string via = string_prop(in, "via", 16);
      if (via != "url" && via != "input") via = "api";
      out["code"] = code;
      out["via"] = via;
      session_codes_.push_back(key);
      break;
    }
    case event_type::lead: {
      std::string form = string_prop(in, "form", 128);
      out["form"] = form.empty() ? "lead" : form;
      const std::string email = string_prop(in, "email", 320);
      if (!email.empty()) identify(email);
      if (!email_sha256_.empty()) out["email_sha256"] = email_sha256_;
      if (!email_domain_.empty()) out["email_domain"] = email_domain_;
      json fields = json::object();
      if (const auto f = in.find("fields"); f != in.end() && f->is_object()) {
        for (const char* allowed : lead_field_allow_list) {
          std::string v = string_prop(*f, allowed, max_field);
          if (!v.empty() && !looks_like_email(v)) {
            fields[allowed] = std::move(v);
          }
        }
      }
      out["fields"] = std::move(fields);
      break;
    }
    case event_type::track: {
      event_name = clean(scrub_emails(name), 128);
      if (event_name.empty()) {
        return fail(json_error{"/name", "a track event needs a name"});
      }
      if (dump(in).size() > max_props_bytes) {
        return fail(json_error{"/props", "larger than " +
                                             std::to_string(max_props_bytes) +
                                             " bytes"});
      }
      out = in;
      strip_emails(out);
      break;
    }
    case event_type::page_view:
    case event_type::status_change:
      break;
  }

  touch_session(now);
  event e = make_event(*type, now);
  e.name = std::move(event_name);
  e.props = std::move(out);
  if (e.type == event_type::lead) {
    // The score the lead arrives with includes the lead itself.
    history_.push_back(e);
    const lead_score s = score_events(config_.model, history_, last_activity_);
    history_.pop_back();
    e.props["score"] = points_json(s.points);
    e.props["fit"] = points_json(s.fit);
    e.props["engagement"] = points_json(s.engagement);
    e.props["grade"] = s.grade;
    e.props["stage"] = s.stage;
    e.props["status"] = s.status;
  }
  remember(e);
  return e;
}

// A double click is one click: the page sends both, the second is refused.
bool tracker::repeat_click(std::string_view cta, std::int64_t now) const {
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    if (it->type != event_type::cta_click) continue;
    const auto id = it->props.find("cta");
    if (id == it->props.end() || !id->is_string() ||
        id->get_ref<const std::string&>() != cta) {
      continue;
    }
    const std::int64_t gap = now - it->time;
    return gap <= repeat_click_ms && gap >= -repeat_click_ms;
  }
  return false;
}

void tracker::identify(std::string_view email) {
  const std::string h = hash_email(email);
  if (h.empty()) return;
  email_sha256_ = h;
  // A domain the collector would refuse is kept out here, so the lead and
  // its batch still arrive.
  email_domain_ = clean(email_domain(email), 253);
  if (!is_email_domain(email_domain_)) email_domain_.clear();
}

json tracker::fill_values() const {
  const campaign& c = last_touch_.campaign;
  const lead_score& s = score_;
  json v{{"utm_source", c.source},
         {"utm_medium", c.medium},
         {"utm_campaign", c.name},
         {"utm_term", c.term},
         {"utm_content", c.content},
         {"utm_id", c.id},
         {"click_id", c.click_id},
         {"click_id_type", c.click_id_type},
         {"gclid", c.click_id_type == "gclid" ? c.click_id : ""},
         {"msclkid", c.click_id_type == "msclkid" ? c.click_id : ""},
         {"fbclid", c.click_id_type == "fbclid" ? c.click_id : ""},
         {"discount_code",
          session_codes_.empty() ? c.discount_code : std::string()},
         {"referrer_source", last_touch_.referrer.source},
         {"referrer_medium", to_string(last_touch_.referrer.medium)},
         {"landing_page", last_touch_.landing_page},
         {"first_utm_source", first_touch_.campaign.source},
         {"first_utm_medium", first_touch_.campaign.medium},
         {"first_utm_campaign", first_touch_.campaign.name},
         {"first_referrer_source", first_touch_.referrer.source},
         {"first_channel", first_touch_.channel},
         {"first_landing_page", first_touch_.landing_page},
         {"first_touch_time", first_touch_.time},
         {"channel", last_touch_.channel},
         {"last_touch_time", last_touch_.time},
         {"last_non_direct_source", last_non_direct_.source},
         {"last_non_direct_medium", last_non_direct_.medium},
         {"last_non_direct_campaign", last_non_direct_.campaign.name},
         {"last_non_direct_channel", last_non_direct_.channel},
         {"visitor_id", visitor_id_},
         {"session_id", session_id_},
         {"lead_score", points_json(s.points)},
         {"lead_fit", points_json(s.fit)},
         {"lead_engagement", points_json(s.engagement)},
         {"lead_grade", s.grade},
         {"lead_stage", s.stage},
         {"lead_status", s.status}};
  // The code the visitor used last in this session, as typed.
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    if (it->session_id != session_id_) break;
    if (it->type == event_type::discount_code) {
      v["discount_code"] = string_prop(it->props, "code", max_code);
      break;
    }
  }
  return v;
}

json tracker::touches() const {
  json history = json::array();
  for (const auto& t : touch_history_) history.push_back(to_json(t));
  return json{
      {"first", has_touch_ ? to_json(summarize(first_touch_)) : json()},
      {"last", has_touch_ ? to_json(summarize(last_touch_)) : json()},
      {"last_non_direct",
       has_non_direct_ ? to_json(summarize(last_non_direct_)) : json()},
      {"history", std::move(history)}};
}

std::vector<event> tracker::take_outbox() {
  std::vector<event> out;
  out.swap(outbox_);
  return out;
}

result<bool, model_error> tracker::set_model(std::string_view json_text) {
  auto model = load_scoring_model(json_text);
  if (!model) return fail(model.error());
  config_.model = std::move(*model);
  rescore();
  return true;
}

// The page saves the state after every event, so the history is spliced in
// from each event's text, serialized once when it was recorded, rather than
// encoded again each time (a 500-event history took milliseconds).
std::string tracker::state_json() const {
  json j{{"v", state_version},
         {"visitor_id", visitor_id_},
         {"session_id", session_id_},
         {"last_activity", last_activity_},
         {"email_sha256", email_sha256_},
         {"email_domain", email_domain_},
         {"status", status_},
         {"session_codes", session_codes_}};
  if (has_touch_) {
    j["first_touch"] = to_json(first_touch_);
    j["last_touch"] = to_json(last_touch_);
  }
  if (has_non_direct_) j["last_non_direct"] = to_json(last_non_direct_);
  json history = json::array();
  for (const auto& t : touch_history_) history.push_back(to_json(t));
  j["touches"] = std::move(history);

  std::string out = dump(j);
  out.pop_back();  // the closing brace of a non-empty object
  out += ",\"history\":[";
  for (std::size_t i = 0; i < history_text_.size(); ++i) {
    if (i > 0) out += ',';
    out += history_text_[i];
  }
  out += "]}";
  return out;
}

bool tracker::restore(std::string_view state_text) {
  const json j = json::parse(state_text, nullptr, false);
  if (!j.is_object()) return false;
  const auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer() ||
      v->get<std::int64_t>() != state_version) {
    return false;
  }

  // Read everything into locals first: a bad state changes nothing.
  const auto str = [&](const char* key) -> std::optional<std::string> {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const auto visitor = str("visitor_id");
  const auto session = str("session_id");
  const auto email = str("email_sha256");
  // Missing in states saved before scoring had fit and statuses.
  const auto domain = str("email_domain").value_or("");
  const auto status = str("status").value_or("");
  const auto last = j.find("last_activity");
  if (!visitor || visitor->empty() || visitor->size() > max_id_length ||
      !session || !email || last == j.end() || !last->is_number_integer()) {
    return false;
  }

  std::vector<std::string> codes;
  if (const auto it = j.find("session_codes"); it != j.end()) {
    if (!it->is_array()) return false;
    for (const auto& c : *it) {
      if (!c.is_string()) return false;
      codes.push_back(c.get<std::string>());
    }
  }
  std::vector<event> history;
  if (const auto it = j.find("history"); it != j.end()) {
    if (!it->is_array()) return false;
    for (const auto& e : *it) {
      auto decoded = decode_event(e);
      if (!decoded) return false;
      history.push_back(std::move(*decoded));
    }
  }
  touch_info first, last_touch;
  const bool has_touch = j.contains("last_touch");
  if (has_touch) {
    const auto f = j.find("first_touch");
    if (f == j.end()) return false;
    auto a = decode_touch(*f);
    auto b = decode_touch(j.at("last_touch"));
    if (!a || !b) return false;
    first = std::move(*a);
    last_touch = std::move(*b);
  }
  // A state saved before the touch history lacks both keys; first and last
  // tell what they can.
  std::optional<touch_info> non_direct;
  std::vector<touch_summary> touches;
  if (const auto it = j.find("last_non_direct"); it != j.end()) {
    auto t = decode_touch(*it);
    if (!t) return false;
    non_direct = std::move(*t);
  } else if (has_touch && !is_direct(last_touch)) {
    non_direct = last_touch;
  } else if (has_touch && !is_direct(first)) {
    non_direct = first;
  }
  if (const auto it = j.find("touches"); it != j.end()) {
    if (!it->is_array()) return false;
    for (const auto& t : *it) {
      auto decoded = decode_touch_summary(t);
      if (!decoded) return false;
      touches.push_back(std::move(*decoded));
    }
  } else if (has_touch) {
    touches.push_back(summarize(first));
    if (!(summarize(last_touch) == touches.back())) {
      touches.push_back(summarize(last_touch));
    }
  }
  keep_last(touches, config_.touch_history);

  visitor_id_ = *visitor;
  session_id_ = *session;
  email_sha256_ = *email;
  email_domain_ = clean(domain, 253);
  status_ = clean(status, 128);
  last_activity_ = last->get<std::int64_t>();
  session_codes_ = std::move(codes);
  history_ = std::move(history);
  history_text_.clear();
  for (const auto& e : history_) history_text_.push_back(dump(to_json(e)));
  trim_history();
  first_touch_ = std::move(first);
  last_touch_ = std::move(last_touch);
  has_touch_ = has_touch;
  has_non_direct_ = non_direct.has_value();
  last_non_direct_ = non_direct ? std::move(*non_direct) : touch_info{};
  touch_history_ = std::move(touches);
  rescore();
  return true;
}

}  // namespace loopkit
