#include "loopkit/bot.h"

#include <string>

#include "loopkit/text.h"

namespace loopkit {

namespace {

// Lower-case text that, found anywhere in a user agent, marks software. The
// short generic words come first; product names follow, for tools that
// otherwise look like a browser.
constexpr std::string_view bot_words[] = {
    // What crawlers, fetchers and monitors call themselves.
    "crawl", "spider", "slurp", "scrap", "archiv", "indexer", "monitor",
    "preview", "fetcher", "feed", "rss/", "rssowl", "agent", "proxy",
    "inspector", "audit", "validat", "synthetic", "uptime", "transcoder",
    "mutant", "dummy", "(cli)", "(at)",
    // Automation, headless browsers and HTTP libraries.
    "headless", "phantomjs", "selenium", "puppeteer", "playwright",
    "webdriver", "cypress/", "splash", "python", "curl/", "wget/", "java/",
    "(java)", "go-http", "okhttp", "axios", "node-fetch", "undici", "perl/",
    "ruby", "php/", "scrapy", "azure-logic-apps", "cursor/", "hydra",
    // Search engines, AI crawlers and link previews not caught by "bot".
    "google-", "googleother", "google favicon", "google search console",
    "googleweblight", "mediapartners", "duplexweb", "googlemessages",
    "externalhit", "facebookcatalog", "whatsapp/", "embedly", "chatgpt",
    "perplexity", "anthropic", "claude-", "sogoumse", "wechatdevtools",
    // Speed, uptime and tag monitors.
    "lighthouse", "page speed", "gtmetrix", "pingdom", "site24x7",
    "statuscake", "catchpoint", "rigor)", "dejaclick", "ptst/", "speedcurve",
    "ruxit", "dynatrace", "newrelic", "datadog", "appinsights", "hotjar",
    "functionize", "dareboost", "onetrust", "silktide", "monsido",
    // Security and site scanners.
    "nmap", "nuclei", "sqlmap", "nikto", "zgrab", "masscan", "censys",
    "shodan", "netcraft", "openvas", "watchtowr", "hardenize",
    "securityheaders", "foregenix", "sitelock", "barracuda", "clamav",
    "load_file", "cloudflare", "iplabel",
    // Readers, downloaders and data tools that fetch pages on their own.
    "newsblur", "readkit", "reeder/", "swcd", "downcast/", "igetter",
    "btwebclient", "nutch", "github-camo", "datanyze", "marketgoo",
    "collapsify", "sparkler", "manus-user", "mixnode", "morningscore",
    "xaxis", "webmoney", "dmbrowser", "owler", "leadgen", "webpurify",
    "whatcms", "linktiger", "newsnow", "hatena", "biglotron", "brandwatch",
};

// Products that may follow "compatible;" in a real browser's user agent.
constexpr std::string_view compatible_browsers[] = {
    "msie", "konqueror", "u;", "ibrowse", "amiga", "netpositive", "ms-office"};

// Apps and old phones whose user agents have no "(platform)" part.
constexpr std::string_view bare_clients[] = {
    "cfnetwork", "midp", "lynx", "amiga", "fban", "mozacfetch",
    "windows phone"};

bool is_letter(char c) { return c >= 'a' && c <= 'z'; }
bool is_alnum(char c) { return is_letter(c) || (c >= '0' && c <= '9'); }

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// "bot" or "bots" at the start or end of a word: Googlebot, bot.html,
// SemrushBot; not fuboTV. Cubot is a phone maker.
bool has_bot_word(std::string_view ua) {
  for (auto i = ua.find("bot"); i != std::string_view::npos;
       i = ua.find("bot", i + 1)) {
    std::size_t end = i + 3;
    if (end < ua.size() && ua[end] == 's') ++end;
    const bool starts = i == 0 || !is_letter(ua[i - 1]);
    const bool ends = end == ua.size() || !is_letter(ua[end]);
    const bool cubot = i >= 2 && ua.substr(i - 2, 5) == "cubot";
    if ((starts || ends) && !cubot) return true;
  }
  return false;
}

// A contact address: "abuse@example.org". Browsers put '@' in version
// tokens ("android@111.0") but never before a domain.
bool has_email(std::string_view ua) {
  for (auto at = ua.find('@'); at != std::string_view::npos;
       at = ua.find('@', at + 1)) {
    if (at == 0 || !is_alnum(ua[at - 1])) continue;
    std::size_t i = at + 1;
    std::size_t last_dot = std::string_view::npos;
    while (i < ua.size() && (is_alnum(ua[i]) || ua[i] == '-' || ua[i] == '.')) {
      if (ua[i] == '.') last_dot = i;
      ++i;
    }
    if (last_dot == std::string_view::npos || last_dot == at + 1) continue;
    std::size_t tld = 0;
    for (std::size_t k = last_dot + 1; k < i && is_letter(ua[k]); ++k) ++tld;
    if (tld >= 2 && last_dot + 1 + tld == i) return true;
  }
  return false;
}

// A site name as contact ("postrank.com", "air.ai/scanning"): a label with a
// letter, then one of a few top-level domains, then the end of the token.
// Version numbers ("1.7412.EU") have no letter before the dot.
bool has_domain(std::string_view ua) {
  constexpr std::string_view tlds[] = {".com", ".net", ".org", ".ai", ".edu"};
  for (const auto tld : tlds) {
    for (auto dot = ua.find(tld); dot != std::string_view::npos;
         dot = ua.find(tld, dot + 1)) {
      const std::size_t end = dot + tld.size();
      const bool token_ends = end == ua.size() || ua[end] == '/' ||
                              ua[end] == ')' || ua[end] == ';' ||
                              ua[end] == ' ';
      if (!token_ends) continue;
      bool letter = false;
      for (std::size_t k = dot; k > 0; --k) {
        const char c = ua[k - 1];
        if (!is_alnum(c) && c != '-') break;
        letter = letter || is_letter(c);
      }
      if (letter) return true;
    }
  }
  return false;
}

// "compatible; X" where X is no browser: how many crawlers introduce
// themselves ("compatible; Optimizer"), or "compatible)" with nothing.
bool has_foreign_compatible(std::string_view ua) {
  const auto at = ua.find("compatible");
  if (at == std::string_view::npos) return false;
  std::string_view rest = ua.substr(at + 10);
  if (!rest.empty() && rest.front() == ')') return true;
  if (rest.empty() || rest.front() != ';') return false;
  rest.remove_prefix(1);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  for (const auto browser : compatible_browsers) {
    if (starts_with(rest, browser)) return false;
  }
  return true;
}

// "scan", "check" and "http" are bot words except in a few app names:
// CamScanner, a "checkout" flag, a console's "libhttp".
bool has_tool_word(std::string_view ua) {
  for (auto i = ua.find("scan"); i != std::string_view::npos;
       i = ua.find("scan", i + 1)) {
    if (i < 3 || ua.substr(i - 3, 3) != "cam") return true;
  }
  for (auto i = ua.find("check"); i != std::string_view::npos;
       i = ua.find("check", i + 1)) {
    if (ua.substr(i + 5, 3) != "out") return true;
  }
  for (auto i = ua.find("http"); i != std::string_view::npos;
       i = ua.find("http", i + 1)) {
    if (i < 3 || ua.substr(i - 3, 3) != "lib") return true;
  }
  return false;
}

}  // namespace

bool is_bot(std::string_view user_agent) {
  const std::string ua = ascii_lower(trim(user_agent));
  if (ua.empty()) return true;

  // Command-line tools and libraries that lead with their name.
  constexpr std::string_view prefixes[] = {
      "duckduckgo/", "ddg_android", "anonymous", "java", "python", "curl",
      "wget", "go-", "go "};
  for (const auto p : prefixes) {
    if (starts_with(ua, p)) return true;
  }
  for (const auto word : bot_words) {
    if (contains(ua, word)) return true;
  }
  if (has_bot_word(ua) || has_tool_word(ua)) return true;

  // Crawlers leave a way to reach their owner.
  if (contains(ua, "://") || contains(ua, "www.") || has_email(ua) ||
      has_domain(ua)) {
    return true;
  }
  if (has_foreign_compatible(ua)) return true;

  // Two user agents glued together ("Thumbor/6.7, Mozilla/5.0 ...").
  if (contains(ua, ", mozilla/") || contains(ua, "|mozilla/")) return true;

  // Browsers and apps describe their platform in parentheses; a bare
  // "name/version" is a script, unless it is one of the old phones and apps
  // known to send one.
  if (!contains(ua, "(")) {
    for (const auto client : bare_clients) {
      if (contains(ua, client)) return false;
    }
    return true;
  }
  return false;
}

}  // namespace loopkit
