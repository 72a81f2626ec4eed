// The visitor's side of the loop, as the page runs it: visitor and session,
// the touch that started the session, events with everything they carry, and
// the live score. The snippet persists state_json() and feeds DOM events in;
// every decision is taken here.
#pragma once

#include <cstdint>
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

namespace loopkit {

struct tracker_config {
  std::string site;
  campaign_options campaign;
  referrer_options referrer;
  // The built-in list, extended by the config's "referrers".
  referrer_database referrers = default_referrer_database();
  // GA4's default channel group, or the config's "channels" (channel.h).
  channel_rules channels;
  std::int64_t session_timeout_ms = 30 * 60 * 1000;
  scoring_model model = default_scoring_model();
  std::size_t max_history = 500;  // events kept for scoring
};

// Reads {"site", "discount_params", "internal_hosts",
// "session_timeout_minutes", "scoring", "referrers", "channels"}; every key
// is optional.
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

  // A page view on url. Starts a session when none is open, after the
  // inactivity timeout, or when the URL brings a new campaign or the
  // referrer is another site. A discount code in the URL also records a
  // discount_code event.
  void page_view(std::string_view url, std::string_view referrer,
                 std::string_view title, std::int64_t now);

  // Records an event on the current page:
  //   "cta_click"      props {"cta": id, "text": label}
  //   "discount_code"  props {"code": code, "via": "url" | "input" | "api"}
  //   "lead"           props {"form": name, "email": raw, "fields": {...}}
  //   "track"          name, props any object
  // A lead's email is hashed here and the raw text dropped; its fields are
  // kept only when on the allow list. A code already used in this session is
  // not recorded again (the error says so).
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
  // landing_page.
  [[nodiscard]] nlohmann::json fill_values() const;

  // Events recorded since the last call, oldest first.
  std::vector<event> take_outbox();

  // Replaces the scoring model; the old one stays on error.
  result<bool, model_error> set_model(std::string_view json_text);

 private:
  event make_event(event_type type, std::int64_t now);
  void remember(const event& e);
  void trim_history();
  void touch_session(std::int64_t now);
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
  page_info page_;
  std::vector<std::string> session_codes_;
  std::vector<event> history_;
  std::vector<std::string> history_text_;  // each event's JSON, for state_json
  std::vector<event> outbox_;
};

}  // namespace loopkit
