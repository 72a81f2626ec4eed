// Bot detection by user agent: crawlers, scripts and HTTP libraries, uptime
// and speed monitors, link-preview fetchers, security scanners and headless
// browsers, so that automated traffic stays out of reports.
#pragma once

#include <string_view>

namespace loopkit {

// True when the user agent belongs to software rather than a person's
// browser or app. An empty (or all-whitespace) user agent counts as a bot:
// every browser sends one, scripts often do not.
//   is_bot("Mozilla/5.0 (compatible; Googlebot/2.1; "
//          "+http://www.google.com/bot.html)") -> true
//   is_bot("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
//          "Firefox/128.0") -> false
// The rules are our own: a word list plus the shapes crawlers share (a
// contact URL or address, "compatible;" with a product that is no browser, no
// platform in parentheses). tests/conformance/bot_conformance_test.cpp
// measures them against isbot's lists of crawlers and browsers.
[[nodiscard]] bool is_bot(std::string_view user_agent);

}  // namespace loopkit
