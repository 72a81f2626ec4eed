// Channels: the one-word answer to "where did this visit come from?".
//
// The default follows Google Analytics 4's default channel group, rule by
// rule and in Google's order, as documented in "[GA4] Default channel group"
// (https://support.google.com/analytics/answer/9756891). Rules read the
// source, medium and campaign a report shows, so a visit without UTM tags
// first gets a source and medium the way GA4 records them (derive_source).
// Matching ignores ASCII case, as GA4's does.
//
// Sites may add their own channels in JSON, before or after the default, or
// replace it (load_channel_rules); the format is in docs/channels.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loopkit/campaign.h"
#include "loopkit/json_error.h"
#include "loopkit/pattern.h"
#include "loopkit/referrer.h"
#include "loopkit/result.h"
#include "loopkit/source_category.h"

namespace loopkit {

// Where a visit's source and medium came from.
enum class source_origin : std::uint8_t {
  utm,       // utm_source / utm_medium / utm_campaign on the landing URL
  click_id,  // an ad click id and nothing else
  referrer,  // the referring site
  direct,    // nothing at all
};

const char* to_string(source_origin o);

// Source and medium as a report shows them: "google" / "organic".
struct visit_source {
  std::string source;
  std::string medium;
  source_origin origin = source_origin::direct;
};

// The source and medium GA4 would record for a landing URL's campaign and
// its referrer:
//   - UTM tags win. utm_source, utm_medium or utm_campaign makes a tagged
//     visit; a missing source or medium reads "(not set)", as in GA4.
//   - Otherwise an ad click id names the network: gclid is "google" /
//     "cpc" (GA4's auto-tagging), msclkid "bing" / "cpc" (Microsoft
//     Advertising's). fbclid is "facebook" / "social", not paid: Facebook
//     adds it to outbound links from posts and ads alike
//     (https://thisinterestsme.com/facebook-fbclid-parameter/), so it shows
//     where the click came from, not that it was bought. GA4 ignores it.
//   - Otherwise the referrer: a search engine is "<engine>" / "organic"
//     (lower-case, "google"); another site "<host without www.>" /
//     "referral"; none, or the site itself, "(direct)" / "(none)".
//   - One deliberate improvement on GA4: a webmail or email-tool referrer
//     (the referrer database's email class) is "<provider>" / "email"
//     ("gmail" / "email"), so an email campaign sent without UTM tags lands
//     in Email instead of Referral.
[[nodiscard]] visit_source derive_source(const campaign& c,
                                         const referrer_info& r);

// What the channel rules read. Views must outlive the call.
struct channel_input {
  std::string_view source;
  std::string_view medium;
  std::string_view campaign;       // utm_campaign
  std::string_view click_id_type;  // "gclid", "msclkid", "fbclid" or empty
  referrer_medium referrer = referrer_medium::direct;
  // True when source names the referrer (no UTM tags, no click id): a
  // source missing from our category table then takes the referrer
  // database's class, so "bsky.app" / "referral" is still social.
  bool source_from_referrer = false;
  // Set to use this category instead of categorize_source(source).
  std::optional<source_category> category;
};

// The input for a visit whose source was derived by derive_source.
[[nodiscard]] channel_input make_channel_input(const campaign& c,
                                               const referrer_info& r,
                                               const visit_source& s);

// The category the rules use: input.category when set, else the table,
// else the referrer's search or social class when source_from_referrer.
[[nodiscard]] source_category category_of(const channel_input& in);

// The fields a custom rule can test.
enum class channel_field : std::uint8_t {
  source,
  medium,
  campaign,
  click_id,         // the click id's type: "gclid", "msclkid", "fbclid"
  referrer,         // the referrer's class: "search", "email", "chatbot"...
  source_category,  // "search", "social", "shopping", "video" or "none"
};

enum class match_op : std::uint8_t {
  equals,
  one_of,
  contains,
  prefix,
  suffix,
  regex,   // pattern.h syntax; matches anywhere unless anchored
  exists,  // the field is not empty (referrer: not direct; category: not none)
};

struct channel_condition {
  channel_field field = channel_field::source;
  match_op op = match_op::equals;
  std::vector<std::string> values;  // lower-case; one except for one_of
  std::optional<pattern> regex;
  bool expected = true;  // false for "not": true, or "exists": false
};

// A channel for visits where every condition in all holds and, when any is
// not empty, at least one of any.
struct channel_rule {
  std::string channel;
  std::vector<channel_condition> all;
  std::vector<channel_condition> any;
};

// Custom rules run before the default, the default (unless replaced), then
// the rules after it. With no match a visit is "Unassigned".
struct channel_rules {
  std::vector<channel_rule> before;
  bool use_default = true;
  std::vector<channel_rule> after;
};

// GA4's default channel group alone.
const channel_rules& default_channel_rules();

// Reads custom rules:
//   {"prepend": [rule...], "append": [rule...]}   extend the default
//   {"replace": [rule...]}                        instead of the default
// with each rule {"channel": "AI Assistants", "all": [condition...],
// "any": [condition...]} and each condition {"field": "referrer",
// "equals": "chatbot"}; the operators are equals, one_of, contains,
// prefix, suffix, regex and exists, and "not": true negates. Everything is
// checked before anything is used: the first problem comes back with its
// JSON pointer ("/prepend/0/all/1/regex": "unbalanced parenthesis").
[[nodiscard]] result<channel_rules, json_error> load_channel_rules(
    std::string_view json_text);

inline constexpr std::size_t max_channel_rules = 100;
inline constexpr std::size_t max_channel_name = 80;

// The channel's name. The view points at a static label or into rules, so
// it lives as long as rules do; nothing is allocated.
//   channel_input in;
//   in.source = "google";
//   in.medium = "cpc";
//   find_channel(in) -> "Paid Search"
[[nodiscard]] std::string_view find_channel(
    const channel_input& in,
    const channel_rules& rules = default_channel_rules());

// The same, as a string.
[[nodiscard]] std::string classify_channel(
    const channel_input& in,
    const channel_rules& rules = default_channel_rules());

// GA4's default channel group by itself, without custom rules.
[[nodiscard]] std::string_view default_channel(const channel_input& in);

}  // namespace loopkit
