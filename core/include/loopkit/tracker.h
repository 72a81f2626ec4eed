// The visitor's side of the loop, as the page runs it: visitor and session,
// the touch that started the session, events with everything they carry, and
// the live score. The snippet persists state_json() and feeds DOM events in;
// every decision is taken here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loopkit/campaign.h"
#include "loopkit/channel.h"
#include "loopkit/event.h"
#include "loopkit/random.h"
#include "loopkit/referrer.h"
#include "loopkit/result.h"
#include "loopkit/scoring.h"
#include "loopkit/touches.h"

namespace loopkit {

// The hosts of common payment providers' checkout pages, which send the
// visitor back to the site when the payment is done: paypal.com, stripe.com,
// klarna.com, adyen.com, mollie.com, squareup.com, pay.google.com,
// pay.amazon.com, payments.amazon.com and secure.worldpay.com.
const std::vector<std::string>& default_excluded_hosts();

struct tracker_config {
  std::string site;
  campaign_options campaign;
  referrer_options referrer;
  // The built-in list extended by the config's "referrers"; null for the
  // built-in list alone (default_referrer_database), which most sites use,
  // so most trackers copy no list as they start. Never changed once made,
  // so copies of a config share it.
  std::shared_ptr<const referrer_database> referrers;
  // GA4's default channel group, or the config's "channels" (channel.h).
  channel_rules channels;
  std::int64_t session_timeout_ms = default_session_timeout_ms;
  scoring_model model = default_scoring_model();
  std::size_t max_history = 500;  // events kept for scoring
  // Referrals from these hosts and their subdomains are part of the visit
  // that left for them (payment pages): they start no session and replace
  // no touch. The config's list replaces the built-in one.
  std::vector<std::string> excluded_hosts = default_excluded_hosts();
  std::size_t touch_history = 25;  // touches kept, oldest dropped
  // Cross-domain tracking: links to these hosts (and subdomains) carry the
  // visitor id in the query parameter link_param; referrals from them are
  // ignored like excluded_hosts.
  std::vector<std::string> linked_domains;
  std::string link_param = "_lk";
};

// Reads {"site", "discount_params", "internal_hosts",
// "session_timeout_minutes", "scoring", "referrers", "channels",
// "excluded_hosts", "touch_history", "linked_domains", "link_param"}; every
// key is optional. Host lists hold host names ("paypal.com"), lower-cased
// here; "excluded_hosts" replaces the built-in list, so [] turns it off.
// "touch_history" is 1 to 100; "link_param" 1 to 32 of A-Z a-z 0-9 - _.
// "referrers" is a database in the referer-parser JSON format
// (load_referrer_database) whose entries are added to the built-in list,
// replacing any for the same host and path. "channels" holds custom channel
// rules (load_channel_rules).
[[nodiscard]] result<tracker_config, model_error> parse_tracker_config(
    std::string_view json_text);

class tracker {
 public:
  tracker(tracker_config config, std::uint64_t seed_hi, std::uint64_t seed_lo);

  // Adopts a state saved by state_json(). A state that does not parse is
  // ignored (returns false) and the tracker keeps its fresh visitor.
  bool restore(std::string_view state_json);
  [[nodiscard]] std::string state_json() const;

  [[nodiscard]] const std::string& visitor_id() const { return visitor_id_; }
  [[nodiscard]] const std::string& session_id() const { return session_id_; }

  // Takes over the visitor id the page found in its own storage (a
  // first-party cookie), so later events carry it. Valid ids are 8 to 64
  // characters of A-Z a-z 0-9 - _; anything else returns false and changes
  // nothing.
  bool adopt_visitor(std::string_view id);

  // A page view on url. Starts a session when none is open, after the
  // inactivity timeout, or when the URL brings a new campaign or the
  // referrer is another site, unless that site is an excluded or linked
  // host. A discount code in the URL also records a discount_code event.
  // A link id in the URL (decorate_link) less than two minutes off now is
  // adopted as the visitor id; the parameter is removed from the URL that is
  // recorded, fresh or not.
  //
  // id, when it is a valid event id (is_event_id), becomes the page view's
  // own: the id of a raw view the page sent before this tracker could take
  // the view in, so that the collector replaces that view with this one.
  void page_view(std::string_view url, std::string_view referrer,
                 std::string_view title, std::int64_t now,
                 std::string_view id = {});

  // url without the link parameter, for history.replaceState; "" when it
  // holds none.
  [[nodiscard]] std::string clean_url(std::string_view url) const;

  // href with "<link_param>=<visitor id>.<now in base36>" in its query
  // (replacing one already there) when it is an http(s) link to a linked
  // domain other than page_url's host; "" for any other link:
  //   decorate_link("https://shop.test/cart#top", "https://blog.test/",
  //                 1764000000000)
  //   -> "https://shop.test/cart?_lk=<visitor id>.midc1z40#top"
  [[nodiscard]] std::string decorate_link(std::string_view href,
                                          std::string_view page_url,
                                          std::int64_t now) const;

  // Records an event on the current page:
  //   "cta_click"      props {"cta": id, "text": label, "kind": "cta" |
  //                    "outbound" | "mailto" | "tel", "href": link,
  //                    "x": left, "y": top}
  //   "discount_code"  props {"code": code, "via": "url" | "input" | "api"}
  //   "lead"           props {"form": name, "email": raw, "fields": {...}}
  //   "track"          name, props any object
  // A lead's email is hashed here and the raw text dropped; its fields are
  // kept only when on the allow list. A code already used in this session is
  // not recorded again (the error says so). A click's href is kept only for
  // http(s) links, as scheme, host and path; mailto and tel links lose it
  // (and any address or phone number in their text). A click on the same
  // CTA within 1000 ms of the last one recorded is refused ("repeat click").
  result<event, decode_error> record(std::string_view type,
                                     std::string_view name,
                                     const nlohmann::json& props,
                                     std::int64_t now);

  // Remembers the visitor's email (hashed, and its domain for fit scoring)
  // for later lead events.
  void identify(std::string_view email);

  // The score as of the latest event, recomputed after every event. When
  // its status changes, a status_change event {"from", "to", "points",
  // "fit", "engagement", "grade", "stage"} follows the event that caused it
  // in the outbox.
  [[nodiscard]] const lead_score& score() const { return score_; }

  // Values for hidden form fields: utm_*, click ids, discount_code,
  // visitor_id, session_id, lead_score (fit + engagement), lead_fit,
  // lead_engagement, lead_grade, lead_stage, lead_status, referrer_source,
  // landing_page, channel, the first touch's (first_*) and the last
  // non-direct touch's (last_non_direct_*) and both touch times in ms.
  [[nodiscard]] nlohmann::json fill_values() const;

  // {"first": touch, "last": touch, "last_non_direct": touch or null,
  //  "history": [touch, ...]}, each touch a touch_summary (touches.h), the
  // history oldest first; first and last are null before any touch.
  [[nodiscard]] nlohmann::json touches() const;

  // Events recorded since the last call, oldest first.
  std::vector<event> take_outbox();

  // Replaces the scoring model; the old one stays on error.
  result<bool, model_error> set_model(std::string_view json_text);

 private:
  event make_event(event_type type, std::int64_t now);
  void remember(const event& e);
  void trim_history();
  void touch_session(std::int64_t now);
  void start_touch(touch_info t);
  void adopt_link(std::string_view value, std::int64_t now);
  bool repeat_click(std::string_view cta, std::int64_t now) const;
  void rescore();
  void announce_status();

  tracker_config config_;
  id_generator ids_;
  std::string visitor_id_;
  std::string session_id_;
  std::int64_t last_activity_ = 0;
  std::string email_sha256_;
  std::string email_domain_;
  std::string status_;  // the status last announced
  lead_score score_;
  touch_info first_touch_;
  touch_info last_touch_;
  bool has_touch_ = false;
  touch_info last_non_direct_;
  bool has_non_direct_ = false;
  std::vector<touch_summary> touch_history_;
  page_info page_;
  std::vector<std::string> session_codes_;
  std::vector<event> history_;
  std::vector<std::string> history_text_;  // each event's JSON, for state_json
  std::vector<event> outbox_;
};

}  // namespace loopkit
