// default_channel lower-cases source and medium once, on the stack when they
// fit, and compares exact bytes; these cases pin that case never matters
// and that text too long for the stack buffer is grouped the same way.
#include <catch2/catch.hpp>

#include <string>

#include "loopkit/channel.h"

namespace {

loopkit::channel_input input(std::string_view source, std::string_view medium,
                             std::string_view campaign = {}) {
  loopkit::channel_input in;
  in.source = source;
  in.medium = medium;
  in.campaign = campaign;
  return in;
}

std::string upper(std::string s) {
  for (auto& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// Every other letter upper-case: "sOcIaL".
std::string mixed(std::string s) {
  for (std::size_t i = 1; i < s.size(); i += 2) {
    if (s[i] >= 'a' && s[i] <= 'z') s[i] = static_cast<char>(s[i] - 32);
  }
  return s;
}

}  // namespace

TEST_CASE("source, medium and campaign group the same in any case",
          "[channel]") {
  struct row {
    const char* source;
    const char* medium;
    const char* campaign;
    const char* channel;
  };
  const row rows[] = {
      {"(direct)", "(none)", "", "Direct"},
      {"(direct)", "(not set)", "", "Direct"},
      {"a", "b", "q3-cross-network", "Cross-network"},
      {"etsy", "ppc", "", "Paid Shopping"},
      {"x", "cpc", "eshop_sale", "Paid Shopping"},
      {"x", "cpc", "workshop", "Paid Other"},
      {"google", "cpc", "", "Paid Search"},
      {"facebook", "paid_social", "", "Paid Social"},
      {"youtube", "retargeting", "", "Paid Video"},
      {"x", "banner", "", "Display"},
      {"x", "interstitial", "", "Display"},
      {"x", "cpm", "", "Display"},
      {"x", "paid", "", "Paid Other"},
      {"x", "organic", "shopping-days", "Organic Shopping"},
      {"x", "social media", "", "Organic Social"},
      {"x", "social-network", "", "Organic Social"},
      {"x", "sm", "", "Organic Social"},
      {"x", "my-video-post", "", "Organic Video"},
      {"x", "organic", "", "Organic Search"},
      {"x", "link", "", "Referral"},
      {"x", "app", "", "Referral"},
      {"e-mail", "x", "", "Email"},
      {"x", "e_mail", "", "Email"},
      {"x", "affiliate", "", "Affiliates"},
      {"x", "audio", "", "Audio"},
      {"sms", "x", "", "SMS"},
      {"x", "web-push", "", "Mobile Push Notifications"},
      {"x", "notification", "", "Mobile Push Notifications"},
      {"firebase", "x", "", "Mobile Push Notifications"},
      {"x", "newsletter", "", "Unassigned"},
      {"x", "", "", "Unassigned"},
  };

  for (const auto& r : rows) {
    for (const auto& change : {+[](std::string s) { return s; }, &upper,
                               &mixed}) {
      const std::string source = change(r.source);
      const std::string medium = change(r.medium);
      const std::string campaign = change(r.campaign);

      const auto channel =
          loopkit::default_channel(input(source, medium, campaign));

      INFO(source << " / " << medium << " / " << campaign);
      CHECK(channel == r.channel);
    }
  }
}

TEST_CASE("a medium or source longer than 64 bytes is grouped by the same "
          "rules",
          "[channel]") {
  const std::string pad(70, 'z');

  CHECK(loopkit::default_channel(input("x", pad + "cp")) == "Paid Other");
  CHECK(loopkit::default_channel(input("x", "Paid" + pad)) == "Paid Other");
  CHECK(loopkit::default_channel(input("x", pad + "-VIDEO")) ==
        "Organic Video");
  CHECK(loopkit::default_channel(input("x", pad + "-Push")) ==
        "Mobile Push Notifications");
  CHECK(loopkit::default_channel(input("Google" + pad, "CPC")) ==
        "Paid Other");
  CHECK(loopkit::default_channel(input(pad, "Social")) == "Organic Social");
  CHECK(loopkit::default_channel(input("x", pad)) == "Unassigned");
  // Exactly at the buffer's size, and one past it.
  CHECK(loopkit::default_channel(input("x", std::string(62, 'a') + "Cp")) ==
        "Paid Other");
  CHECK(loopkit::default_channel(input("x", std::string(63, 'a') + "Cp")) ==
        "Paid Other");
}
