#include "loopkit/campaign.h"

#include <array>
#include <cstdint>
#include <optional>

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

const campaign_options& default_campaign_options() {
  static const campaign_options options;
  return options;
}

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

namespace {

// The keys a campaign reads, in the order of campaign_keys below.
enum slot : std::size_t { source, medium, name, term, content, id, gclid,
                          msclkid, fbclid, fixed_slots };
constexpr std::string_view campaign_keys[fixed_slots] = {
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
    "utm_id",     "gclid",      "msclkid",      "fbclid"};

// Discount keys kept without allocating; a longer list takes the slow path.
constexpr std::size_t max_fast_discount_params = 8;

// A campaign value that does not decode to UTF-8 keeps the text the
// marketer typed rather than losing characters.
constexpr bad_utf8 campaign_policy = bad_utf8::keep_raw;

// The bytes decoding could change: '%', '+' and any from 0x80.
constexpr std::array<std::uint8_t, 256> decodable = [] {
  std::array<std::uint8_t, 256> t{};
  for (std::size_t c = 0x80; c < 256; ++c) t[c] = 1;
  t['%'] = t['+'] = 1;
  return t;
}();

// Plain ASCII with nothing to decode: decoding would return it unchanged.
// Eight bytes per branch, as click ids run to a hundred bytes.
bool plain_ascii(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    if ((decodable[p[i]] | decodable[p[i + 1]] | decodable[p[i + 2]] |
         decodable[p[i + 3]] | decodable[p[i + 4]] | decodable[p[i + 5]] |
         decodable[p[i + 6]] | decodable[p[i + 7]]) != 0) {
      return false;
    }
  }
  for (; i < s.size(); ++i) {
    if (decodable[p[i]] != 0) return false;
  }
  return true;
}

std::string decoded_value(const std::optional<std::string_view>& raw) {
  if (!raw) return {};
  if (plain_ascii(*raw)) return truncate_utf8(trim(*raw), max_campaign_value);
  std::string decoded = decode_query_component(*raw, campaign_policy);
  const std::string_view trimmed = trim(decoded);
  if (trimmed.size() == decoded.size() &&
      decoded.size() <= max_campaign_value) {
    return decoded;  // the usual case, without another copy
  }
  return truncate_utf8(trimmed, max_campaign_value);
}

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The last byte tells most keys of equal length apart ("utm_source",
// "utm_medium") before the full comparison; this runs for every key of
// every query.
bool same_key(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (!a.empty() && lower(a.back()) != lower(b.back())) return false;
  return iequals(a, b);
}

// The slot of a campaign key, or fixed_slots. Most keys of a long query are
// none of ours, and their length alone says so.
std::size_t fixed_slot(std::string_view k) {
  const auto is = [k](slot s) { return same_key(k, campaign_keys[s]); };
  switch (k.size()) {
    case 5: return is(gclid) ? gclid : fixed_slots;
    case 6: return is(id) ? id : is(fbclid) ? fbclid : fixed_slots;
    case 7: return is(msclkid) ? msclkid : fixed_slots;
    case 8: return is(term) ? term : fixed_slots;
    case 10: return is(source) ? source : is(medium) ? medium : fixed_slots;
    case 11: return is(content) ? content : fixed_slots;
    case 12: return is(name) ? name : fixed_slots;
    default: return fixed_slots;
  }
}

}  // namespace

// One pass over the raw query that decodes only the values it keeps: a
// landing URL from an ad platform carries dozens of other parameters.
// Gives what extract_campaign(parse_query(query, keep_raw)) gives.
campaign extract_campaign(const url& page, const campaign_options& options) {
  const auto& discount_keys = options.discount_params;
  if (discount_keys.size() > max_fast_discount_params) {
    return extract_campaign(parse_query(page.query, campaign_policy), options);
  }

  std::optional<std::string_view> found[fixed_slots];
  std::optional<std::string_view> discounts[max_fast_discount_params];
  std::string decoded_key;
  for_each_raw_param(page.query, [&](std::string_view k, std::string_view v) {
    if (!plain_ascii(k)) {
      decoded_key = decode_query_component(k, campaign_policy);
      k = decoded_key;  // rare: an encoded key ("utm%5Fsource")
    }
    if (const std::size_t i = fixed_slot(k); i < fixed_slots && !found[i]) {
      found[i] = v;  // the first of a repeated key wins
    }
    for (std::size_t i = 0; i < discount_keys.size(); ++i) {
      if (!discounts[i] && same_key(k, discount_keys[i])) discounts[i] = v;
    }
    return true;
  });

  campaign c;
  c.source = decoded_value(found[source]);
  c.medium = decoded_value(found[medium]);
  c.name = decoded_value(found[name]);
  c.term = decoded_value(found[term]);
  c.content = decoded_value(found[content]);
  c.id = decoded_value(found[id]);
  for (const slot s : {gclid, msclkid, fbclid}) {
    std::string v = decoded_value(found[s]);
    if (!v.empty()) {
      c.click_id = std::move(v);
      c.click_id_type = std::string(campaign_keys[s]);
      break;
    }
  }
  for (std::size_t i = 0; i < discount_keys.size(); ++i) {
    std::string v = decoded_value(discounts[i]);
    if (!v.empty()) {
      c.discount_code = std::move(v);
      break;
    }
  }
  return c;
}

}  // namespace loopkit
