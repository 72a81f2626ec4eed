// A visitor's touches: each time a session starts, where it came from. The
// tracker keeps the first, the last, the last that was not direct, and a
// bounded history of them for attribution across sessions.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "loopkit/event.h"
#include "loopkit/result.h"

namespace loopkit {

// A touch as the history keeps it: what attribution reports need, without
// the full campaign and referrer.
struct touch_summary {
  std::string source;    // "google", "newsletter", "(direct)"
  std::string medium;    // "organic", "email", "(none)"
  std::string campaign;  // utm_campaign
  std::string channel;   // "Organic Search"
  referrer_medium referrer = referrer_medium::direct;
  std::string click_id;
  std::string click_id_type;  // "gclid", "msclkid", "fbclid" or ""
  std::string landing_page;
  std::int64_t time = 0;
};

bool operator==(const touch_summary& a, const touch_summary& b);

// Direct: no campaign (UTM or click id) and no referrer from another site.
// Internal navigation and an ignored payment-page referral are direct too.
bool is_direct(const touch_info& t);

touch_summary summarize(const touch_info& t);

// {"source", "medium", "campaign", "channel", "referrer_medium", "click_id",
//  "click_id_type", "landing_page", "time"}
nlohmann::json to_json(const touch_summary& t);

// Reads to_json's form back; every key is required.
[[nodiscard]] result<touch_summary, json_error> decode_touch_summary(
    const nlohmann::json& j, std::string_view path = "");

}  // namespace loopkit
