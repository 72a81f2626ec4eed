// Everything the core derives from one page view: the landing URL's
// campaign, the referrer's class, the source, medium and channel a report
// shows, and whether the user agent is a bot. `loopkit inspect` prints it
// and the page's inspectVisit returns it, so a marketer can check a tagged
// link before sending it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loopkit/campaign.h"
#include "loopkit/channel.h"
#include "loopkit/referrer.h"
#include "loopkit/result.h"
#include "loopkit/url.h"

namespace loopkit {

struct visit_report {
  loopkit::campaign campaign;
  referrer_info referrer;
  visit_source source;
  std::string channel;
  bool bot = false;
};

// Classifies a page view. The page URL must parse (the error says why);
// the referrer never fails: one that does not parse is a referral named by
// its text. The user agent goes through is_bot (bot.h); an empty one means
// none was given and is not checked, so bot is false.
//   inspect_visit("https://shop.test/?gclid=x", "", "")
//   -> source "google", medium "cpc", channel "Paid Search"
[[nodiscard]] result<visit_report, url_error> inspect_visit(
    std::string_view page_url, std::string_view referrer_url,
    std::string_view user_agent,
    const referrer_database& referrers = default_referrer_database(),
    const channel_rules& channels = default_channel_rules());

// The same into a report the caller keeps from one page view to the next:
// every field is replaced, and its strings keep their capacity, so a stream
// of page views is classified without allocating once the report has grown.
// Returns the page URL's error, leaving out unchanged, or nothing.
[[nodiscard]] std::optional<url_error> inspect_visit(
    std::string_view page_url, std::string_view referrer_url,
    std::string_view user_agent, visit_report& out,
    const referrer_database& referrers = default_referrer_database(),
    const channel_rules& channels = default_channel_rules());

// {"campaign": {"source", "medium", "campaign", "term", "content", "id",
//  "click_id", "click_id_type", "discount_code"},
//  "referrer": {"medium", "source", "term", "host"},
//  "source", "medium", "channel", "bot"}
nlohmann::json to_json(const visit_report& v);

}  // namespace loopkit
