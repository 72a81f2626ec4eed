#include "corpus.h"

#include <array>
#include <string_view>

namespace loopkit::bench {
namespace {

// SplitMix64 (https://prng.di.unimi.it/splitmix64.c): tiny, and the same
// numbers everywhere, unlike the distributions of <random>.
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // 0 <= below(n) < n
  std::size_t below(std::size_t n) { return next() % n; }
  bool chance(int percent) { return below(100) < std::size_t(percent); }

  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& a) {
    return a[below(N)];
  }

 private:
  std::uint64_t state_;
};

using list = std::array<std::string_view, 8>;

constexpr list hosts = {"www.shop-example.com", "blog.example.org",
                        "app.saas-example.io",  "store.example.co.uk",
                        "www.example-news.de",  "docs.example.dev",
                        "m.shop-example.com",   "www.travel-example.fr"};
constexpr list sections = {"products", "blog", "pricing", "collections",
                           "docs",     "p",    "item",    "landing"};
constexpr list words = {"running-shoe", "spring-sale", "how-to-invoice",
                        "wool-runner",  "crm-guide",   "black-friday",
                        "team-plan",    "espadrilles"};
constexpr list sources = {"google",   "facebook",  "newsletter",   "bing",
                          "linkedin", "Instagram", "partner-site", "tiktok"};
constexpr list mediums = {"cpc",     "email",    "social",    "paid_social",
                          "display", "referral", "affiliate", "pmax"};
constexpr list campaigns = {
    "spring_launch",
    "PMax%20%2F%2F%20UK%20%2F%2F%20Lifestyle%20Shoes",
    "Bing%E8%B4%AD%E7%89%A9_GB_ROI_31148%E6%88%B7%E5%A4%96",
    "8+-+Shopping+-+Clothing",
    "brand_cross-network_q3",
    "UK_EN_TOF_Purchase_BAU_ABO_NoScale_19.05.23",
    "KC%20-%20AAA%20-%20Prospecting",
    "webinar-2024-05"};
constexpr list noise_keys = {"_ga",   "ref",  "variant", "size",
                             "color", "sort", "mc_eid",  "_x_ads_sub_channel"};
constexpr list search_terms = {"red+shoes",
                               "crm%20for%20small%20business",
                               "invoice+template",
                               "caf%C3%A9+paris",
                               "best%20running%20shoes%202024",
                               "loopkit",
                               "%E8%B4%AD%E7%89%A9",
                               "wool+runner+mizzles"};

const char* const alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string token(rng& r, std::size_t length) {
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) out += alphabet[r.below(64)];
  return out;
}

std::string hex(rng& r, std::size_t length) {
  std::string out;
  for (std::size_t i = 0; i < length; ++i)
    out += "0123456789abcdef"[r.below(16)];
  return out;
}

void param(std::string& q, std::string_view key, std::string_view value) {
  q += q.empty() ? "" : "&";
  q.append(key);
  q += '=';
  q.append(value);
}

std::string page_url(rng& r, std::string_view host) {
  std::string url = "https://";
  url.append(host);
  url += '/';
  url.append(r.pick(sections));
  url += '/';
  url.append(r.pick(words));
  url += '-';
  url += std::to_string(r.below(100000));

  std::string q;
  const bool tagged = r.chance(45);
  if (tagged) {
    param(q, "utm_source", r.pick(sources));
    param(q, "utm_medium", r.pick(mediums));
    param(q, "utm_campaign", r.pick(campaigns));
    if (r.chance(50)) param(q, "utm_term", r.pick(search_terms));
    if (r.chance(40)) param(q, "utm_content", r.pick(campaigns));
  }
  switch (r.below(6)) {
    case 0: param(q, "gclid", "Cj0KCQ" + token(r, 84)); break;
    case 1: param(q, "msclkid", hex(r, 32)); break;
    case 2: param(q, "fbclid", "IwAR" + token(r, 58)); break;
    default: break;
  }
  const std::size_t noise = r.below(14);
  for (std::size_t i = 0; i < noise; ++i) {
    const std::string_view key = r.pick(noise_keys);
    param(q, key, token(r, 4 + r.below(24)));
  }
  if (r.chance(10))
    param(q, "discount", "SPRING" + std::to_string(r.below(50)));
  if (!q.empty()) url += "?" + q;
  if (r.chance(10)) url += "#reviews";
  return url;
}

std::string referrer_url(rng& r, std::string_view page_host,
                         const std::string& page) {
  switch (r.below(20)) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5: return {};  // direct
    case 6:
    case 7:
    case 8: {
      const std::string_view q = r.pick(search_terms);
      const std::size_t rlz = r.below(1000);
      const std::string_view oq = r.pick(search_terms);
      return "https://www.google.com/search?q=" + std::string(q) +
             "&rlz=1C1GCEA_enGB" + std::to_string(rlz) + "&oq=" +
             std::string(oq) +
             "&aqs=chrome..69i57j0i512l9.4231j0j7&sourceid=chrome&ie=UTF-8";
    }
    case 9: return "https://www.google.co.uk/";
    case 10: {
      const std::string_view q = r.pick(search_terms);
      return "https://www.bing.com/search?q=" + std::string(q) +
             "&form=QBLH&sp=-1&pq=shoes&sc=10-5&qs=n&sk=&cvid=" + hex(r, 32);
    }
    case 11: return "https://duckduckgo.com/";
    case 12: {
      std::string encoded;  // the landing URL as Facebook's link shim sends it
      for (const char c : page) {
        if (c == ':' || c == '/' || c == '?' || c == '&' || c == '=') {
          encoded += '%';
          encoded += "0123456789ABCDEF"[static_cast<unsigned char>(c) >> 4];
          encoded += "0123456789ABCDEF"[static_cast<unsigned char>(c) & 15];
        } else {
          encoded += c;
        }
      }
      return "https://l.facebook.com/l.php?u=" + encoded + "&h=AT" +
             token(r, 40);
    }
    case 13: return "https://t.co/" + token(r, 10);
    case 14: return "https://www.linkedin.com/";
    case 15: return "https://www.youtube.com/watch?v=" + token(r, 11);
    case 16: return "https://mail.google.com/mail/u/0/";
    case 17: return "https://chatgpt.com/";
    case 18:
      return "https://" + std::string(page_host) + "/" +
             std::string(r.pick(sections));  // internal
    default: {
      const std::string_view word = r.pick(words);
      return "https://www." + std::string(word) + "-blog.example/" +
             std::to_string(r.below(2024)) + "/review?utm_source=rss";
    }
  }
}

}  // namespace

std::vector<page_view> make_corpus(std::size_t size, std::uint64_t seed) {
  rng r(seed);
  std::vector<page_view> out;
  out.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    const std::string_view host = r.pick(hosts);
    std::string page = page_url(r, host);
    std::string referrer = referrer_url(r, host, page);
    out.push_back({std::move(page), std::move(referrer)});
  }
  return out;
}

}  // namespace loopkit::bench
