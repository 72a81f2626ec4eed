// Campaign data carried by a landing URL: UTM parameters
// (https://support.google.com/analytics/answer/10917952), ad click ids and
// discount codes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "loopkit/query.h"
#include "loopkit/url.h"

namespace loopkit {

struct campaign {
  std::string source;    // utm_source
  std::string medium;    // utm_medium
  std::string name;      // utm_campaign
  std::string term;      // utm_term
  std::string content;   // utm_content
  std::string id;        // utm_id
  std::string click_id;       // the value of the first click id found
  std::string click_id_type;  // "gclid", "msclkid" or "fbclid"
  std::string discount_code;

  // True when the URL carried no UTM parameter and no click id (a discount
  // code alone does not make a campaign).
  [[nodiscard]] bool empty() const;
};

bool operator==(const campaign& a, const campaign& b);

struct campaign_options {
  // Query keys that carry a discount code, tried in this order.
  std::vector<std::string> discount_params{"discount", "coupon", "promo"};
};

// Values longer than this are cut (on a UTF-8 boundary): a 10 kB utm_term is
// an attack or a bug, never a campaign name.
inline constexpr std::size_t max_campaign_value = 256;

// The options a default-constructed campaign_options holds, built once: a
// default argument of "{}" would build its vector on every page view.
const campaign_options& default_campaign_options();

// Reads the campaign from decoded query pairs. Keys are matched without
// regard to case; the first of a repeated key wins.
campaign extract_campaign(
    const query_params& params,
    const campaign_options& options = default_campaign_options());

// Reads the campaign from a page URL's query. When the query has no UTM
// parameter and no click id at all, not even an empty one, the fragment is
// read the same way: single-page apps route on it, so a campaign link may
// end "#/signup?utm_source=a" (read after the fragment's first '?') or
// "#utm_source=a" (all of it). A discount code in the query still wins
// over one in the fragment.
//   extract_campaign(*parse_url("https://x.test/#/p?utm_source=a")).source
//   -> "a"
campaign extract_campaign(
    const url& page,
    const campaign_options& options = default_campaign_options());

}  // namespace loopkit
