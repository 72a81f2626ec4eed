#include "loopkit/campaign.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "loopkit/text.h"
#include "visit_parts.h"

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

// The bytes decoding could change ('%', '+' and any from 0x80) in bit 0,
// and those that end a key ('=', '&') in bit 1.
constexpr std::uint8_t to_decode_bit = 1;
constexpr std::uint8_t key_end_bit = 2;
constexpr std::array<std::uint8_t, 256> decodable = [] {
  std::array<std::uint8_t, 256> t{};
  for (std::size_t c = 0x80; c < 256; ++c) t[c] = to_decode_bit;
  t['%'] = t['+'] = to_decode_bit;
  t['='] = t['&'] = key_end_bit;
  return t;
}();

// Plain ASCII with nothing to decode: decoding would return it unchanged.
// A block at a time, as click ids run to a hundred bytes.
bool plain_ascii(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // A byte from 0x80 has its top bit set, as a match has.
    const __m128i hit = _mm_or_si128(
        x, _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('%')),
                        _mm_cmpeq_epi8(x, _mm_set1_epi8('+'))));
    if (_mm_movemask_epi8(hit) != 0) return false;
  }
#else
  for (; i + 8 <= s.size(); i += 8) {
    if (((decodable[p[i]] | decodable[p[i + 1]] | decodable[p[i + 2]] |
          decodable[p[i + 3]] | decodable[p[i + 4]] | decodable[p[i + 5]] |
          decodable[p[i + 6]] | decodable[p[i + 7]]) &
         to_decode_bit) != 0) {
      return false;
    }
  }
#endif
  for (; i < s.size(); ++i) {
    if ((decodable[p[i]] & to_decode_bit) != 0) return false;
  }
  return true;
}

#if defined(__SSE2__)
// Skips ahead sixteen bytes a step to the '=' or '&' that ends a key, or to
// the last bytes before end, which the caller reads one by one; sets seen
// when a skipped byte has anything to decode. Keys run to 20 bytes or so.
const char* skip_key_sse2(const char* p, const char* end, std::uint8_t& seen) {
  const auto is = [](__m128i x, char c) {
    return _mm_cmpeq_epi8(x, _mm_set1_epi8(c));
  };
  for (; end - p >= 16; p += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int stop = _mm_movemask_epi8(_mm_or_si128(is(x, '='), is(x, '&')));
    // A byte from 0x80 has its top bit set, as a match has.
    const int to_decode = _mm_movemask_epi8(
        _mm_or_si128(x, _mm_or_si128(is(x, '%'), is(x, '+'))));
    if (stop != 0) {
      const int before_stop = (stop & -stop) - 1;
      if ((to_decode & before_stop) != 0) seen |= to_decode_bit;
      return p + __builtin_ctz(static_cast<unsigned>(stop));
    }
    if (to_decode != 0) seen |= to_decode_bit;
  }
  return p;
}
#endif

// At most max_campaign_value bytes of s, cut on a UTF-8 boundary.
std::string_view bounded(std::string_view s) {
  if (s.size() <= max_campaign_value) return s;
  std::size_t end = max_campaign_value;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

// The value as a campaign keeps it: decoded once, trimmed and bounded,
// straight into out, whose capacity a reused report keeps.
void decode_into(std::string& out, const std::optional<std::string_view>& raw) {
  if (!raw) return;
  if (plain_ascii(*raw)) {
    set_text(out, bounded(trim(*raw)));
    return;
  }
  decode_query_component(*raw, campaign_policy, out);
  const std::string_view trimmed = trim(out);
  if (trimmed.size() == out.size() && out.size() <= max_campaign_value) {
    return;  // the usual case
  }
  const std::string_view v = bounded(trimmed);
  const auto start = static_cast<std::size_t>(v.data() - out.data());
  out.erase(start + v.size());
  out.erase(0, start);
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
// none of ours, and their length alone says so. Keys are nearly always
// written in lower case, so a byte compare of known length settles most
// before the case-blind one.
std::size_t fixed_slot(std::string_view k) {
  const auto is = [k](slot s) {
    const std::string_view key = campaign_keys[s];
    return std::memcmp(k.data(), key.data(), key.size()) == 0 ||
           same_key(k, key);
  };
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

// A bit for a key's length and first byte (in either case), so nearly
// every query key skips the discount keys without a comparison; keys that
// share a bit are told apart by same_key.
std::uint64_t discount_bit(std::string_view key) {
  const unsigned first =
      key.empty() ? 0u : static_cast<unsigned char>(key.front()) | 0x20u;
  return std::uint64_t{1} << ((key.size() * 5 + first) & 63);
}

// A value's place in the query. Trivial, unlike std::string_view, so the
// slots below start uninitialized: only those a bit marks are read.
struct raw_value {
  const char* data;
  std::size_t size;
};

// The raw values a query holds for a campaign, as views into it: the first
// of each campaign key and of each discount key.
struct raw_campaign {
  std::uint32_t found = 0;      // bit i: values[i] is set
  std::uint32_t discounted = 0;  // bit i: discounts[i] is set
  raw_value values[fixed_slots];
  raw_value discounts[max_fast_discount_params];

  // Any UTM parameter or click id at all, even an empty one.
  [[nodiscard]] bool has_campaign_key() const { return found != 0; }

  [[nodiscard]] std::optional<std::string_view> value(std::size_t i) const {
    if ((found & (1u << i)) == 0) return std::nullopt;
    return std::string_view(values[i].data, values[i].size);
  }
  [[nodiscard]] std::optional<std::string_view> discount(std::size_t i) const {
    if ((discounted & (1u << i)) == 0) return std::nullopt;
    return std::string_view(discounts[i].data, discounts[i].size);
  }
};

#if defined(__SSE2__)
// The first '&' from p, or end: values run from a few bytes to a hundred
// (click ids), and a call to memchr costs more than the short ones.
const char* find_amp(const char* p, const char* end) {
  const __m128i amp = _mm_set1_epi8('&');
  for (; end - p >= 16; p += 16) {
    const int m = _mm_movemask_epi8(_mm_cmpeq_epi8(
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), amp));
    if (m != 0) return p + __builtin_ctz(static_cast<unsigned>(m));
  }
  while (p < end && *p != '&') ++p;
  return p;
}
// A piece of a query read from one 16-byte block: key_end is null when
// the block holds no '=' or '&' (or fewer than 16 bytes remain), and
// value_end is null when the value runs past the block.
struct piece_in_block {
  const char* key_end = nullptr;
  const char* value_start = nullptr;  // null for a key without '='
  const char* value_end = nullptr;
  std::uint8_t seen = 0;  // to_decode_bit when the key has a byte to decode
};

piece_in_block split_in_block(const char* p, const char* end) {
  piece_in_block b;
  if (end - p < 16) return b;
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto mask = [x](char c) {
    return static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(c))));
  };
  const unsigned amp = mask('&');
  const unsigned stop = amp | mask('=');
  if (stop == 0) return b;
  const unsigned at = static_cast<unsigned>(__builtin_ctz(stop));
  // A byte from 0x80 has its top bit set, as a match has.
  const unsigned to_decode =
      static_cast<unsigned>(_mm_movemask_epi8(x)) | mask('%') | mask('+');
  if ((to_decode & ((1u << at) - 1)) != 0) b.seen = to_decode_bit;
  b.key_end = p + at;
  if ((amp >> at) & 1u) return b;  // a key without a value
  b.value_start = p + at + 1;
  if (const unsigned after = amp & ~((2u << at) - 1); after != 0) {
    b.value_end = p + __builtin_ctz(after);
  }
  return b;
}
#else
const char* find_amp(const char* p, const char* end) {
  const auto* amp = static_cast<const char*>(
      std::memchr(p, '&', static_cast<std::size_t>(end - p)));
  return amp != nullptr ? amp : end;
}
#endif

// One pass over the raw query that decodes only the values it keeps: a
// landing URL from an ad platform carries dozens of other parameters.
// Splits as for_each_raw_param (query.h) does, but notes while reading a
// key whether it has anything to decode.
// raw is filled in place rather than returned, so its unset slots are
// never copied.
void scan_query(std::string_view query,
                const std::vector<std::string>& discount_keys,
                raw_campaign& raw) {
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  std::uint64_t discount_bits = 0;
  for (const auto& key : discount_keys) discount_bits |= discount_bit(key);
  std::string decoded_key;
  const char* p = query.data();
  const char* const end = p + query.size();
  while (p < end) {
    const char* const key_start = p;
    std::uint8_t seen = 0;
    std::string_view k;
    std::string_view v;
    bool has_value = false;
#if defined(__SSE2__)
    // Most keys end within sixteen bytes, and a short value in the same
    // block: one load then finds the key, the value and the next piece.
    if (const piece_in_block b = split_in_block(p, end); b.key_end != nullptr) {
      seen = b.seen;
      k = std::string_view(p, static_cast<std::size_t>(b.key_end - p));
      has_value = b.value_start != nullptr;
      const char* stop = b.key_end;
      if (has_value) {
        stop = b.value_end != nullptr ? b.value_end : find_amp(p + 16, end);
        v = std::string_view(b.value_start,
                             static_cast<std::size_t>(stop - b.value_start));
      }
      p = stop < end ? stop + 1 : end;
    } else
#endif
    {
#if defined(__SSE2__)
      p = skip_key_sse2(p, end, seen);
#endif
      for (; p < end; ++p) {
        const std::uint8_t t = decodable[static_cast<unsigned char>(*p)];
        if ((t & key_end_bit) != 0) break;
        seen |= t;
      }
      k = std::string_view(key_start, static_cast<std::size_t>(p - key_start));
      has_value = p < end && *p == '=';
      if (has_value) {
        const char* const value_start = ++p;
        p = find_amp(p, end);
        v = std::string_view(value_start,
                             static_cast<std::size_t>(p - value_start));
      }
      if (p < end) ++p;  // past the '&'
    }
    if (k.empty() && !has_value) continue;  // an empty piece: "a=1&&b=2"

    if (seen != 0) {
      decoded_key = decode_query_component(k, campaign_policy);
      k = decoded_key;  // rare: an encoded key ("utm%5Fsource")
    }
    if (const std::size_t i = fixed_slot(k);
        i < fixed_slots && (raw.found & (1u << i)) == 0) {
      raw.found |= 1u << i;  // the first of a repeated key wins
      raw.values[i] = {v.data(), v.size()};
    }
    if ((discount_bits & discount_bit(k)) == 0) continue;
    for (std::size_t i = 0; i < discount_keys.size(); ++i) {
      if ((raw.discounted & (1u << i)) == 0 &&
          same_key(k, discount_keys[i])) {
        raw.discounted |= 1u << i;
        raw.discounts[i] = {v.data(), v.size()};
      }
    }
  }
}

void discount_into(std::string& out, const raw_campaign& raw,
                   std::size_t keys) {
  for (std::size_t i = 0; i < keys && out.empty(); ++i) {
    decode_into(out, raw.discount(i));
  }
}

void decode_campaign(const raw_campaign& raw, std::size_t discount_keys,
                     campaign& c) {
  decode_into(c.source, raw.value(source));
  decode_into(c.medium, raw.value(medium));
  decode_into(c.name, raw.value(name));
  decode_into(c.term, raw.value(term));
  decode_into(c.content, raw.value(content));
  decode_into(c.id, raw.value(id));
  for (const slot s : {gclid, msclkid, fbclid}) {
    decode_into(c.click_id, raw.value(s));
    if (!c.click_id.empty()) {
      c.click_id_type.assign(campaign_keys[s].data(),
                             campaign_keys[s].size());
      break;
    }
  }
  discount_into(c.discount_code, raw, discount_keys);
}

// The part of a fragment that reads as a query: after its first '?' in a
// single-page app's route ("/signup?utm_source=a"), else all of it
// ("utm_source=a").
std::string_view fragment_query(std::string_view fragment) {
  const auto q = fragment.find('?');
  return q == std::string_view::npos ? fragment : fragment.substr(q + 1);
}

// The slow path for long discount key lists: every pair decoded.
campaign extract_from_pairs(std::string_view query, std::string_view fragment,
                            const campaign_options& options) {
  const query_params from_query = parse_query(query, campaign_policy);
  const bool has_campaign_key = std::any_of(
      std::begin(campaign_keys), std::end(campaign_keys),
      [&](std::string_view k) {
        return find_param(from_query, k, true) != nullptr;
      });
  campaign c = extract_campaign(from_query, options);
  if (has_campaign_key || fragment.empty()) return c;

  std::string discount = std::move(c.discount_code);
  c = extract_campaign(
      parse_query(fragment_query(fragment), campaign_policy), options);
  if (!discount.empty()) c.discount_code = std::move(discount);
  return c;
}

}  // namespace

namespace detail {

void extract_campaign(std::string_view query, std::string_view fragment,
                      const campaign_options& options, campaign& out) {
  const auto& discount_keys = options.discount_params;
  if (discount_keys.size() > max_fast_discount_params) {
    out = extract_from_pairs(query, fragment, options);
    return;
  }

  raw_campaign from_query;
  scan_query(query, discount_keys, from_query);
  if (from_query.has_campaign_key() || fragment.empty()) {
    decode_campaign(from_query, discount_keys.size(), out);
    return;
  }

  // A single-page app may carry its campaign in the fragment; the query's
  // discount code still wins.
  discount_into(out.discount_code, from_query, discount_keys.size());
  raw_campaign from_fragment;
  scan_query(fragment_query(fragment), discount_keys, from_fragment);
  decode_campaign(from_fragment, discount_keys.size(), out);
}

}  // namespace detail

campaign extract_campaign(const url& page, const campaign_options& options) {
  campaign c;
  detail::extract_campaign(page.query, page.fragment, options, c);
  return c;
}

}  // namespace loopkit
