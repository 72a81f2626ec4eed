#include "loopkit/campaign.h"

#include "loopkit/text.h"

namespace loopkit {

namespace {

// Ad click ids, in the order we prefer when a URL carries several: Google
// Ads (gclid), Microsoft Advertising (msclkid), Meta (fbclid).
constexpr const char* click_id_keys[] = {"gclid", "msclkid", "fbclid"};

std::string value_of(const query_params& params, std::string_view key) {
  const std::string* v = find_param(params, key, true);
  if (v == nullptr) return {};
  return truncate_utf8(trim(*v), max_campaign_value);
}

}  // namespace

bool campaign::empty() const {
  return source.empty() && medium.empty() && name.empty() && term.empty() &&
         content.empty() && id.empty() && click_id.empty();
}

bool operator==(const campaign& a, const campaign& b) {
  return a.source == b.source && a.medium == b.medium && a.name == b.name &&
         a.term == b.term && a.content == b.content && a.id == b.id &&
         a.click_id == b.click_id && a.click_id_type == b.click_id_type &&
         a.discount_code == b.discount_code;
}

campaign extract_campaign(const query_params& params,
                          const campaign_options& options) {
  campaign c;
  c.source = value_of(params, "utm_source");
  c.medium = value_of(params, "utm_medium");
  c.name = value_of(params, "utm_campaign");
  c.term = value_of(params, "utm_term");
  c.content = value_of(params, "utm_content");
  c.id = value_of(params, "utm_id");

  for (const char* key : click_id_keys) {
    std::string v = value_of(params, key);
    if (!v.empty()) {
      c.click_id = std::move(v);
      c.click_id_type = key;
      break;
    }
  }

  for (const auto& key : options.discount_params) {
    std::string v = value_of(params, key);
    if (!v.empty()) {
      c.discount_code = std::move(v);
      break;
    }
  }
  return c;
}

campaign extract_campaign(const url& page, const campaign_options& options) {
  // A campaign value that does not decode to UTF-8 keeps the text the
  // marketer typed rather than losing characters.
  return extract_campaign(parse_query(page.query, bad_utf8::keep_raw), options);
}

}  // namespace loopkit
