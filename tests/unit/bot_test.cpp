#include <catch2/catch.hpp>

#include "loopkit/bot.h"

using loopkit::is_bot;

TEST_CASE("search engine crawlers are bots", "[bot]") {
  CHECK(is_bot("Mozilla/5.0 (compatible; Googlebot/2.1; "
               "+http://www.google.com/bot.html)"));
  CHECK(is_bot("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; "
               "compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) "
               "Chrome/116.0.1938.76 Safari/537.36"));
  CHECK(is_bot("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; "
               "compatible; GPTBot/1.2; +https://openai.com/gptbot)"));
}

TEST_CASE("command-line tools and HTTP libraries are bots", "[bot]") {
  CHECK(is_bot("curl/8.5.0"));
  CHECK(is_bot("Wget/1.21.4"));
  CHECK(is_bot("python-requests/2.31.0"));
  CHECK(is_bot("Go-http-client/2.0"));
  CHECK(is_bot("okhttp/4.12.0"));
}

TEST_CASE("headless browsers are bots", "[bot]") {
  CHECK(is_bot("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
               "like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36"));
}

TEST_CASE("link previews and uptime monitors are bots", "[bot]") {
  CHECK(is_bot("facebookexternalhit/1.1 "
               "(+http://www.facebook.com/externalhit_uatext.php)"));
  CHECK(is_bot("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"));
  CHECK(is_bot("WhatsApp/2.23.20.0 A"));
  CHECK(is_bot("Mozilla/5.0 (compatible; UptimeRobot/2.0; "
               "http://www.uptimerobot.com/)"));
}

TEST_CASE("an empty user agent is a bot", "[bot]") {
  // Every browser sends a user agent; a request without one is a script.
  CHECK(is_bot(""));
  CHECK(is_bot("   "));
}

TEST_CASE("everyday browsers are not bots", "[bot]") {
  CHECK_FALSE(is_bot("Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
                     "AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/131.0.0.0 Safari/537.36"));
  CHECK_FALSE(is_bot("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) "
                     "Gecko/20100101 Firefox/128.0"));
  CHECK_FALSE(is_bot("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
                     "AppleWebKit/605.1.15 (KHTML, like Gecko) "
                     "Version/17.5 Safari/605.1.15"));
  CHECK_FALSE(is_bot("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS "
                     "X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                     "Version/17.5 Mobile/15E148 Safari/604.1"));
  CHECK_FALSE(is_bot("Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
                     "AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0"));
}

TEST_CASE("app and phone names that contain bot words are not bots",
          "[bot]") {
  CHECK_FALSE(is_bot("Mozilla/5.0 (Linux; Android 6.0; CUBOT MAX) "
                     "AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/72.0.3626.121 Mobile Safari/537.36"));
  CHECK_FALSE(is_bot("fuboTV/4.75.0 (Linux;Android 9; AFTDCT31 "
                     "Build/PS7664.3772N) FuboPlayer/v1.34.0"));
  CHECK_FALSE(is_bot("Mozilla/5.0 (Linux; Android 14; SM-S918B) "
                     "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
                     "Chrome/124.0.6367.123 Mobile Safari/537.36 "
                     "CamScanner/4.8.5"));
  CHECK_FALSE(is_bot("Viber/12.8.0.1 CFNetwork/1121.2.2 Darwin/19.3.0"));
}
