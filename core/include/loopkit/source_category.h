// What kind of site a traffic source is: the "source categories" behind
// Google Analytics 4's default channel group
// (https://support.google.com/analytics/answer/9756891). Google publishes
// its own list of several hundred names; ours is a compact table we keep in
// source_category.cpp, covering the sites that send most traffic.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace loopkit {

enum class source_category : std::uint8_t {
  none,  // not a known search, social, shopping or video site
  search,
  social,
  shopping,
  video,
};

const char* to_string(source_category c);
std::optional<source_category> parse_source_category(std::string_view s);

// The category of a source as reports record it: a name ("google",
// "facebook", "Google Shopping") or a host ("l.facebook.com",
// "www.ebay.co.uk"). Case does not matter. A host matches its parent
// domains ("old.reddit.com" is "reddit.com"), and a brand in the table
// matches under any short public suffix ("ebay.co.uk", "pinterest.de"). A
// search engine's other subdomains are other products, so only "www.",
// "m." and "search." count ("answers.yahoo.com" is not a search), and
// Google's hosts not at all: "docs.google.com" is no search. Does not
// allocate.
//   categorize_source("m.youtube.com") -> video
//   categorize_source("newsletter") -> none
[[nodiscard]] source_category categorize_source(std::string_view source);

}  // namespace loopkit
