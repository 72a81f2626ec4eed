// What the page's tracker and the collector's raw page views both do with a
// page view's text and touch, so a view reads the same whichever side saw
// it (tracker.cpp, raw_view.cpp, cta.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loopkit/campaign.h"
#include "loopkit/channel.h"
#include "loopkit/event.h"
#include "loopkit/referrer.h"
#include "loopkit/text.h"

namespace loopkit::detail {

inline constexpr std::size_t max_title = 256;
inline constexpr std::size_t max_path = 1024;

// Trimmed, valid UTF-8, cut to max bytes on a character boundary.
inline std::string clean(std::string_view s, std::size_t max) {
  return truncate_utf8(sanitize_utf8(trim(s)), max);
}

// Optional string member of a JSON object, cleaned; empty when absent or not
// a string.
inline std::string string_prop(const nlohmann::json& props, const char* key,
                               std::size_t max) {
  const auto it = props.find(key);
  if (it == props.end() || !it->is_string()) return {};
  return clean(it->get_ref<const std::string&>(), max);
}

inline bool is_external(referrer_medium m) {
  return m != referrer_medium::direct && m != referrer_medium::internal;
}

// A campaign is new when its UTM values or click id differ; a discount code
// alone does not start a session.
inline bool same_campaign(campaign a, campaign b) {
  a.discount_code.clear();
  b.discount_code.clear();
  return a == b;
}

// Source, medium and channel as reports show them (channel.h).
inline void derive_channel(touch_info& t, const channel_rules& rules) {
  const visit_source s = derive_source(t.campaign, t.referrer);
  t.channel =
      classify_channel(make_channel_input(t.campaign, t.referrer, s), rules);
  t.source = s.source;
  t.medium = s.medium;
}

}  // namespace loopkit::detail
