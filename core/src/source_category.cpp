#include "loopkit/source_category.h"

#include <algorithm>
#include <array>

namespace loopkit {

const char* to_string(source_category c) {
  switch (c) {
    case source_category::none: return "none";
    case source_category::search: return "search";
    case source_category::social: return "social";
    case source_category::shopping: return "shopping";
    case source_category::video: return "video";
  }
  return "none";
}

std::optional<source_category> parse_source_category(std::string_view s) {
  for (auto c :
       {source_category::none, source_category::search, source_category::social,
        source_category::shopping, source_category::video}) {
    if (s == to_string(c)) return c;
  }
  return std::nullopt;
}

namespace {

// How a key matches. A name matches only itself ("ig", "google"). A brand
// also matches "<brand>.<short suffix>" and its subdomains ("ebay" covers
// "www.ebay.co.uk"). A site is a brand whose other subdomains are other
// products: only "www.", "m." and "search." count ("search.yahoo.com",
// but not "answers.yahoo.com"). A host matches itself and its subdomains
// ("t.co").
enum class key_kind : std::uint8_t { name, brand, site, host };

struct entry {
  std::string_view key;  // lower-case
  source_category category;
  key_kind kind;
};

constexpr auto S = source_category::search;
constexpr auto O = source_category::social;
constexpr auto P = source_category::shopping;
constexpr auto V = source_category::video;
constexpr auto name = key_kind::name;
constexpr auto brand = key_kind::brand;
constexpr auto site = key_kind::site;
constexpr auto host = key_kind::host;

// Our own list, written for loopkit: the names GA4 records for the big
// engines and networks, and the brands that send most traffic. "google" is
// a name, not a brand, so "docs.google.com" stays a referral. Sites missing
// here still count through the referrer database's classes (channel.h).
// clang-format off: two entries a line read better than one.
constexpr entry table[] = {
    // Search engines
    {"360.cn", S, host},
    {"aol", S, site},
    {"ask", S, site},
    {"baidu", S, site},
    {"bing", S, site},
    {"brave", S, name},
    {"coccoc", S, site},
    {"daum", S, site},
    {"dogpile", S, site},
    {"duckduckgo", S, site},
    {"ecosia", S, site},
    {"google", S, name},
    {"kagi", S, site},
    {"lycos", S, site},
    {"mojeek", S, site},
    {"msn", S, site},
    {"naver", S, site},
    {"qwant", S, site},
    {"rambler", S, site},
    {"search.brave.com", S, host},
    {"seznam", S, site},
    {"so.com", S, host},
    {"sogou", S, site},
    {"startpage", S, site},
    {"yahoo", S, site},
    {"yandex", S, site},
    // Social networks and communities
    {"bluesky", O, name},
    {"bsky.app", O, host},
    {"discord", O, brand},
    {"douban", O, brand},
    {"facebook", O, brand},
    {"fb", O, brand},
    {"ig", O, name},
    {"instagram", O, brand},
    {"line.me", O, host},
    {"linkedin", O, brand},
    {"lnkd", O, brand},
    {"mastodon", O, name},
    {"mastodon.online", O, host},
    {"mastodon.social", O, host},
    {"medium.com", O, host},
    {"meetup", O, brand},
    {"messenger", O, brand},
    {"news.ycombinator.com", O, host},
    {"ok.ru", O, host},
    {"pin.it", O, host},
    {"pinterest", O, brand},
    {"plus.google.com", O, host},
    {"producthunt", O, brand},
    {"quora", O, brand},
    {"redd.it", O, host},
    {"reddit", O, brand},
    {"snapchat", O, brand},
    {"t.co", O, host},
    {"t.me", O, host},
    {"telegram", O, brand},
    {"threads", O, brand},
    {"tiktok", O, brand},
    {"tumblr", O, brand},
    {"twitter", O, brand},
    {"vk", O, brand},
    {"vkontakte", O, brand},
    {"wa.me", O, host},
    {"wechat", O, brand},
    {"weibo", O, brand},
    {"whatsapp", O, brand},
    {"x.com", O, host},
    {"xing", O, brand},
    {"yelp", O, brand},
    // Shopping sites and marketplaces
    {"alibaba", P, brand},
    {"aliexpress", P, brand},
    {"amazon", P, brand},
    {"ebay", P, brand},
    {"etsy", P, brand},
    {"google shopping", P, name},
    {"igshopping", P, name},
    {"mercadolibre", P, brand},
    {"mercadolivre", P, brand},
    {"shopify", P, brand},
    {"shopping.naver.com", P, host},
    {"shopping.yahoo.co.jp", P, host},
    {"shopping.yahoo.com", P, host},
    {"stripe", P, brand},
    {"walmart", P, brand},
    // Video platforms
    {"dailymotion", V, brand},
    {"disneyplus", V, brand},
    {"hulu", V, brand},
    {"netflix", V, brand},
    {"twitch", V, brand},
    {"vimeo", V, brand},
    {"youku", V, brand},
    {"youtu.be", V, host},
    {"youtube", V, brand},
};
// clang-format on

constexpr std::size_t table_size = sizeof(table) / sizeof(table[0]);

// The table sorted by key, with the range of keys for each first byte: a
// lookup then compares a few keys instead of searching all of them, and
// runs several times for every page view.
static_assert(table_size < 256, "index::first holds positions as bytes");

struct index {
  std::array<entry, table_size> sorted{};
  // The keys that start with byte b are sorted[first[b]] up to
  // sorted[first[b + 1]].
  std::array<std::uint8_t, 257> first{};
};

const index& table_index() {
  static const index built = [] {
    index x;
    std::copy(std::begin(table), std::end(table), x.sorted.begin());
    std::sort(x.sorted.begin(), x.sorted.end(),
              [](const entry& a, const entry& b) { return a.key < b.key; });
    std::size_t at = 0;
    for (std::size_t b = 0; b < 256; ++b) {
      x.first[b] = static_cast<std::uint8_t>(at);
      while (at < table_size &&
             static_cast<unsigned char>(x.sorted[at].key[0]) == b) {
        ++at;
      }
    }
    x.first[256] = static_cast<std::uint8_t>(at);
    return x;
  }();
  return built;
}

const entry* find(std::string_view key) {
  if (key.empty()) return nullptr;
  const index& x = table_index();
  const auto b = static_cast<unsigned char>(key[0]);
  for (std::size_t i = x.first[b]; i < x.first[b + 1]; ++i) {
    if (x.sorted[i].key == key) return &x.sorted[i];
  }
  return nullptr;
}

// "com", "de", "co.uk", "com.au": one or two labels of at most three
// letters. Close enough to a public suffix for the brands in our table.
bool short_suffix(std::string_view s) {
  int labels = 0;
  while (!s.empty()) {
    const auto dot = s.find('.');
    const auto label = s.substr(0, dot);
    if (label.empty() || label.size() > 3 || ++labels > 2) return false;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return labels > 0;
}

constexpr std::size_t max_key = 128;

}  // namespace

source_category categorize_source(std::string_view source) {
  if (source.empty() || source.size() > max_key) return source_category::none;
  char buffer[max_key];
  for (std::size_t i = 0; i < source.size(); ++i) {
    const char c = source[i];
    buffer[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view s(buffer, source.size());

  if (const entry* e = find(s)) return e->category;

  // A host, then each parent domain: "m.youtube.com", "youtube.com", "com".
  const std::string_view whole = s;
  while (s.find('.') != std::string_view::npos) {
    if (const entry* e = find(s); e != nullptr && e->kind == key_kind::host) {
      return e->category;
    }
    const auto dot = s.find('.');
    if (short_suffix(s.substr(dot + 1))) {
      const entry* e = find(s.substr(0, dot));
      const std::string_view sub = whole.substr(0, whole.size() - s.size());
      const bool site_prefix =
          sub.empty() || sub == "www." || sub == "m." || sub == "search.";
      if (e != nullptr && (e->kind == key_kind::brand ||
                           (e->kind == key_kind::site && site_prefix))) {
        return e->category;
      }
    }
    s.remove_prefix(dot + 1);
  }
  return source_category::none;
}

}  // namespace loopkit
