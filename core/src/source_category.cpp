#include "loopkit/source_category.h"

#include <array>
#include <cstdint>
#include <cstring>

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

constexpr char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// An open-addressing index of the table by first byte, last byte and
// length, in either case: a lookup runs several times for every page view,
// and a key's bytes are compared only when its length already matches.
constexpr std::size_t index_size = 256;
static_assert(table_size < index_size / 2, "the index stays half empty");

// Setting bit 0x20 makes 'A' to 'Z' lower-case, and maps a byte and its
// lower case alike, which is all a bucket needs.
constexpr std::size_t bucket_of(std::string_view text) {
  const unsigned first = static_cast<unsigned char>(text.front()) | 0x20u;
  const unsigned last = static_cast<unsigned char>(text.back()) | 0x20u;
  return (first * 7u + last * 31u + text.size() * 13u) % index_size;
}

// index[i] is 1 + the position of a key in table, or 0 for an empty slot.
using index = std::array<std::uint8_t, index_size>;

constexpr index table_index = [] {
  index x{};
  for (std::size_t k = 0; k < table_size; ++k) {
    std::size_t i = bucket_of(table[k].key);
    while (x[i] != 0) i = (i + 1) % index_size;
    x[i] = static_cast<std::uint8_t>(k + 1);
  }
  return x;
}();

// Eight bytes of text with A-Z made lower-case, every other byte kept: the
// high bit of a byte of x & 0x7F.. plus 0x3F is set from 'A' up, plus 0x25
// from '[' up, and x's own high bit marks the non-ASCII bytes.
std::uint64_t lower_word(std::uint64_t x) {
  constexpr std::uint64_t ones = 0x0101010101010101u;
  const std::uint64_t low7 = x & (ones * 0x7F);
  const std::uint64_t upper =
      (low7 + ones * 0x3F) & ~(low7 + ones * 0x25) & ~x & (ones * 0x80);
  return x | (upper >> 2);
}

std::uint64_t load(const char* p, std::size_t n) {
  std::uint64_t x = 0;
  std::memcpy(&x, p, n);
  return x;
}

// The bytes of text, 1 to 8 of them, as one word: two loads of four that
// overlap, or the first, middle and last byte. Two texts of one length are
// equal exactly when their words are.
std::uint64_t short_word(const char* p, std::size_t n) {
  if (n >= 4) return load(p, 4) | load(p + n - 4, 4) << 32;
  return static_cast<unsigned char>(p[0]) |
         static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2]))
             << 8 |
         static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1]))
             << 16;
}

// text in lower case equals key, which has text's length: eight bytes a
// step, the last step overlapping the one before.
bool equals_lowered(const char* text, const char* key, std::size_t n) {
  if (n <= 8) return lower_word(short_word(text, n)) == short_word(key, n);
  for (std::size_t i = 0; i + 8 < n; i += 8) {
    if (lower_word(load(text + i, 8)) != load(key + i, 8)) return false;
  }
  return lower_word(load(text + n - 8, 8)) == load(key + n - 8, 8);
}

// The entry whose key is text in lower case: sources come in any case,
// and most are found whole without a lower-case copy.
const entry* find(std::string_view text) {
  if (text.empty()) return nullptr;
  for (std::size_t i = bucket_of(text); table_index[i] != 0;
       i = (i + 1) % index_size) {
    const entry& e = table[table_index[i] - 1];
    if (e.key.size() == text.size() &&
        equals_lowered(text.data(), e.key.data(), text.size())) {
      return &e;
    }
  }
  return nullptr;
}

bool iequals(std::string_view text, std::string_view lower_key) {
  if (text.size() != lower_key.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (lower(text[i]) != lower_key[i]) return false;
  }
  return true;
}

constexpr std::size_t max_key = 128;

}  // namespace

source_category categorize_source(std::string_view source) {
  if (source.empty() || source.size() > max_key) return source_category::none;
  const std::string_view s = source;

  if (const entry* e = find(s)) return e->category;

  std::uint8_t dots[max_key];
  std::size_t dot_count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') dots[dot_count++] = static_cast<std::uint8_t>(i);
  }

  // Label k starts at start and ends at dots[k]. The parent domain from
  // label k is a host key ("m.youtube.com", then "youtube.com"); label k is
  // a brand key when one or two short labels follow it: "com", "de",
  // "co.uk", "com.au", close enough to a public suffix for our brands. A
  // final dot ends the suffix rather than starting a label: "ebay.com.".
  const bool final_dot = s.back() == '.';
  const std::size_t suffix_end = s.size() - final_dot;
  const std::size_t label_dots = dot_count - final_dot;
  for (std::size_t k = 0; k < dot_count; ++k) {
    const std::size_t start = k == 0 ? 0 : dots[k - 1] + 1;
    if (k != 0) {
      const entry* e = find(s.substr(start));
      if (e != nullptr && e->kind == key_kind::host) return e->category;
    }
    if (k >= label_dots || k + 2 < label_dots) continue;
    bool short_suffix = true;
    for (std::size_t j = k; j < label_dots; ++j) {
      const std::size_t next = j + 1 < label_dots ? dots[j + 1] : suffix_end;
      const std::size_t length = next - dots[j] - 1;
      short_suffix = short_suffix && length != 0 && length <= 3;
    }
    if (!short_suffix) continue;
    const entry* e = find(s.substr(start, dots[k] - start));
    if (e == nullptr) continue;
    const std::string_view sub = s.substr(0, start);
    const bool site_prefix = sub.empty() || iequals(sub, "www.") ||
                             iequals(sub, "m.") || iequals(sub, "search.");
    if (e->kind == key_kind::brand ||
        (e->kind == key_kind::site && site_prefix)) {
      return e->category;
    }
  }
  return source_category::none;
}

}  // namespace loopkit
