#include "loopkit/referrer.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "loopkit/query.h"
#include "loopkit/text.h"
#include "loopkit/url.h"
#include "referrer_data.h"
#include "url_parse.h"
#include "visit_parts.h"

namespace loopkit {

const char* to_string(referrer_medium m) {
  switch (m) {
    case referrer_medium::direct: return "direct";
    case referrer_medium::internal: return "internal";
    case referrer_medium::search: return "search";
    case referrer_medium::social: return "social";
    case referrer_medium::email: return "email";
    case referrer_medium::paid: return "paid";
    case referrer_medium::chatbot: return "chatbot";
    case referrer_medium::unknown: return "unknown";
    case referrer_medium::referral: return "referral";
  }
  return "unknown";
}

std::optional<referrer_medium> parse_referrer_medium(std::string_view s) {
  for (auto m : {referrer_medium::direct, referrer_medium::internal,
                 referrer_medium::search, referrer_medium::social,
                 referrer_medium::email, referrer_medium::paid,
                 referrer_medium::chatbot, referrer_medium::unknown,
                 referrer_medium::referral}) {
    if (s == to_string(m)) return m;
  }
  return std::nullopt;
}

namespace {

// The polynomial of detail::referrer_key_hash: FNV's prime
// (http://www.isthe.com/chongo/tech/comp/fnv/). Being odd, it loses no bits
// when multiplied modulo 2^32.
constexpr std::uint32_t hash_base = 16777619u;

// hash_base to the power n, for the hash of a host followed by a path.
std::uint32_t hash_power(std::size_t n) {
  std::uint32_t result = 1;
  std::uint32_t base = hash_base;
  for (; n != 0; n /= 2) {
    if (n & 1) result *= base;
    base *= base;
  }
  return result;
}

}  // namespace

namespace detail {

// The sum of key[i] * hash_base^i. Computed from the last byte back, one
// pass over a host yields the hash of each parent domain on its way, and
// hash(host + path) is hash(host) + hash_base^|host| * hash(path).
std::uint32_t referrer_key_hash(std::string_view key) {
  std::uint32_t h = 0;
  for (std::size_t i = key.size(); i-- > 0;) {
    h = h * hash_base + static_cast<unsigned char>(key[i]);
  }
  return h;
}

}  // namespace detail

// Keys are views into key_text_, and lookups go through an open-addressing
// index of them: a page view looks up its referrer's host and each parent
// domain, and std::unordered_map has no lookup by view in C++17. Each slot
// keeps its key's hash (detail::referrer_key_hash), so a probe compares
// bytes only when the hashes agree.
struct referrer_database::impl {
  impl() = default;
  // The views must point into the copy's own text, so a copy adds each
  // entry again rather than copying the maps.
  impl(const impl& other) {
    for (const auto& [key, e] : other.entries) add(key, e);
  }
  impl& operator=(const impl&) = delete;

  // key is lower-case and trimmed, without a trailing '/'.
  void add(std::string_view key, entry e) {
    if (auto it = entries.find(key); it != entries.end()) {
      it->second = std::move(e);
      return;
    }
    // A deque never moves its strings, and an unordered_map never moves its
    // values, so the views and pointers in the index stay valid.
    const std::string_view stored = key_text_.emplace_back(key);
    const auto it = entries.emplace(stored, std::move(e)).first;
    index_slot(stored).e = &it->second;
    if (const auto slash = stored.find('/'); slash != std::string::npos) {
      index_slot(stored.substr(0, slash)).has_paths = true;
      // Longer path prefixes than the longest key's cannot match.
      longest_path_ = std::max(longest_path_, stored.size() - slash);
    }
  }

  struct slot {
    std::uint32_t hash = 0;
    std::uint32_t size = 0;
    const char* key = nullptr;  // null for an empty slot
    const entry* e = nullptr;   // null for a host known only with paths
    bool has_paths = false;     // "google.com/imgres" exists for "google.com"
  };

  // The slot for the key head + tail, whose hash is hash, or null. The key
  // comes in two pieces so a host and a path prefix need no copy.
  [[nodiscard]] const slot* lookup(std::uint32_t hash, std::string_view head,
                                   std::string_view tail = {}) const {
    if (index_.empty()) return nullptr;
    const std::size_t size = head.size() + tail.size();
    for (std::size_t i = position(hash);; i = (i + 1) & mask_) {
      const slot& s = index_[i];
      if (s.key == nullptr) return nullptr;
      if (s.hash == hash && s.size == size &&
          std::string_view(s.key, head.size()) == head &&
          std::string_view(s.key + head.size(), tail.size()) == tail) {
        return &s;
      }
    }
  }

  // The entry for host joined to the longest prefix of path that ends at
  // a '/' or at the end of path, other than "/" itself: "/imgres/x" tries
  // "/imgres/x", then "/imgres". host_hash is the hash of host.
  [[nodiscard]] const entry* find_path(std::uint32_t host_hash,
                                       std::string_view host,
                                       std::string_view path) const {
    const std::uint32_t shift = hash_power(host.size());
    const std::size_t n = std::min(path.size(), longest_path_);
    const entry* found = nullptr;
    std::uint32_t h = 0;  // of path.substr(0, i)
    std::uint32_t power = 1;
    for (std::size_t i = 0; i <= n; ++i) {
      const bool prefix_end = (i == path.size() || path[i] == '/') &&
                              i != 0 && !(i == 1 && path[0] == '/');
      if (prefix_end) {
        const slot* s = lookup(host_hash + shift * h, host, path.substr(0, i));
        if (s != nullptr && s->e != nullptr) found = s->e;
      }
      if (i == n) break;
      h += power * static_cast<unsigned char>(path[i]);
      power *= hash_base;
    }
    return found;
  }

  std::unordered_map<std::string_view, entry> entries;

 private:
  // Fibonacci hashing (Knuth, TAOCP 6.4): the top bits of the hash times
  // 2^32 / phi, since the low bits of a polynomial hash mix poorly.
  [[nodiscard]] std::size_t position(std::uint32_t hash) const {
    return static_cast<std::uint32_t>(hash * 2654435769u) >> shift_;
  }

  // The slot for key, added when missing; the index stays at most a
  // quarter full so a probe that misses, the common case, ends soon.
  slot& index_slot(std::string_view key) {
    if ((used_ + 1) * 4 > index_.size()) grow();
    const std::uint32_t hash = detail::referrer_key_hash(key);
    std::size_t i = position(hash);
    for (; index_[i].key != nullptr; i = (i + 1) & mask_) {
      const slot& s = index_[i];
      if (s.hash == hash && std::string_view(s.key, s.size) == key) {
        return index_[i];
      }
    }
    ++used_;
    index_[i].hash = hash;
    index_[i].size = static_cast<std::uint32_t>(key.size());
    index_[i].key = key.data();
    return index_[i];
  }

  void grow() {
    std::vector<slot> old(std::max<std::size_t>(64, index_.size() * 2));
    old.swap(index_);
    mask_ = index_.size() - 1;
    shift_ = 32;
    for (std::size_t n = index_.size(); n > 1; n /= 2) --shift_;
    for (const slot& s : old) {
      if (s.key == nullptr) continue;
      std::size_t i = position(s.hash);
      while (index_[i].key != nullptr) i = (i + 1) & mask_;
      index_[i] = s;
    }
  }

  std::deque<std::string> key_text_;
  std::vector<slot> index_;
  std::size_t mask_ = 0;
  int shift_ = 32;
  std::size_t used_ = 0;
  std::size_t longest_path_ = 0;
};

referrer_database::referrer_database() : impl_(std::make_unique<impl>()) {}
referrer_database::~referrer_database() = default;
referrer_database::referrer_database(const referrer_database& other)
    : impl_(other.impl_ ? std::make_unique<impl>(*other.impl_)
                        : std::make_unique<impl>()) {}
referrer_database& referrer_database::operator=(
    const referrer_database& other) {
  if (this != &other) *this = referrer_database(other);
  return *this;
}
referrer_database::referrer_database(referrer_database&&) noexcept = default;
referrer_database& referrer_database::operator=(referrer_database&&) noexcept =
    default;

void referrer_database::add(std::string_view host_and_path, entry e) {
  std::string key = ascii_lower(trim(host_and_path));
  while (!key.empty() && key.back() == '/') key.pop_back();
  if (key.empty()) return;
  if (!impl_) impl_ = std::make_unique<impl>();
  impl_->add(key, std::move(e));
}

std::size_t referrer_database::size() const {
  return impl_ ? impl_->entries.size() : 0;
}

const referrer_database::entry* referrer_database::find(
    std::string_view host, std::string_view path) const {
  if (!impl_ || impl_->entries.empty()) return nullptr;

  // From the top-level domain down: "com", "google.com", "www.google.com".
  // A more specific match replaces a less specific one, and a path entry
  // anywhere up the chain beats a bare host: "www.google.fr" is listed as
  // Google, but "www.google.fr/imgres" is Google Images.
  const entry* host_entry = nullptr;
  const entry* path_entry = nullptr;
  const auto visit = [&](std::uint32_t hash, std::string_view domain) {
    const impl::slot* s = impl_->lookup(hash, domain);
    if (s == nullptr) return;
    if (s->e != nullptr) host_entry = s->e;
    if (s->has_paths) {
      const entry* e = impl_->find_path(hash, domain, path);
      if (e != nullptr) path_entry = e;
    }
  };
  std::uint32_t h = 0;  // of host.substr(i)
  for (std::size_t i = host.size(); i != 0; --i) {
    const char c = host[i - 1];
    if (c == '.' && i != host.size()) visit(h, host.substr(i));
    h = h * hash_base + static_cast<unsigned char>(c);
  }
  if (!host.empty()) visit(h, host);
  return path_entry != nullptr ? path_entry : host_entry;
}

result<bool, json_error> load_referrer_database(std::string_view json_text,
                                                referrer_database& db) {
  const auto doc = nlohmann::json::parse(json_text, nullptr, false);
  if (doc.is_discarded()) return fail(json_error{"", "not valid JSON"});
  if (!doc.is_object()) return fail(json_error{"", "must be an object"});

  // Everything is checked before anything is added, so a bad file never
  // leaves the database half-loaded.
  std::vector<std::pair<std::string, referrer_database::entry>> pending;
  for (const auto& [medium_name, providers] : doc.items()) {
    const std::string medium_path = "/" + medium_name;
    const auto medium = parse_referrer_medium(medium_name);
    if (!medium || *medium == referrer_medium::direct ||
        *medium == referrer_medium::internal ||
        *medium == referrer_medium::referral) {
      return fail(json_error{medium_path, "unknown medium"});
    }
    if (!providers.is_object()) {
      return fail(json_error{medium_path, "must be an object"});
    }
    for (const auto& [source, spec] : providers.items()) {
      const std::string path = medium_path + "/" + source;
      if (!spec.is_object()) return fail(json_error{path, "must be an object"});
      referrer_database::entry e{*medium, sanitize_utf8(source), {}};
      if (const auto it = spec.find("parameters"); it != spec.end()) {
        if (!it->is_array()) {
          return fail(json_error{path + "/parameters", "must be an array"});
        }
        for (const auto& p : *it) {
          if (!p.is_string()) {
            return fail(json_error{path + "/parameters", "must hold strings"});
          }
          e.term_params.push_back(p.get<std::string>());
        }
      }
      const auto domains = spec.find("domains");
      if (domains == spec.end() || !domains->is_array()) {
        return fail(json_error{path + "/domains", "must be an array"});
      }
      for (const auto& d : *domains) {
        if (!d.is_string()) {
          return fail(json_error{path + "/domains", "must hold strings"});
        }
        pending.emplace_back(d.get<std::string>(), e);
      }
    }
  }

  for (auto& [key, e] : pending) db.add(key, std::move(e));
  return true;
}

namespace {

// Calls f with each item of a list separated by single spaces.
template <typename F>
void for_each_word(std::string_view list, F f) {
  while (!list.empty()) {
    const std::size_t end = std::min(list.find(' '), list.size());
    if (end != 0) f(list.substr(0, end));
    list.remove_prefix(std::min(end + 1, list.size()));
  }
}

}  // namespace

const referrer_database& default_referrer_database() {
  static const referrer_database db = [] {
    referrer_database d;
    for (std::size_t i = 0; i < detail::default_referrer_count; ++i) {
      const detail::default_referrer& r = detail::default_referrers[i];
      referrer_database::entry e{r.medium, r.source, {}};
      for_each_word(r.parameters, [&](std::string_view p) {
        e.term_params.emplace_back(p);
      });
      for_each_word(r.domains, [&](std::string_view key) { d.add(key, e); });
    }
    return d;
  }();
  return db;
}

namespace {

// A memcmp of a fixed size compiles to one load; starts_with is a call.
std::string_view strip_www(std::string_view host) {
  return host.size() >= 4 && std::memcmp(host.data(), "www.", 4) == 0
             ? host.substr(4)
             : host;
}

std::string_view strip_www_ignoring_case(std::string_view host) {
  return host.size() >= 4 && iequals(host.substr(0, 4), "www.")
             ? host.substr(4)
             : host;
}

// host is lower-case; page_host and the internal hosts may not be, and are
// compared without making lower-case copies of them for every page view.
bool same_site(std::string_view host, std::string_view page_host,
               const referrer_options& options) {
  if (!page_host.empty() &&
      iequals(strip_www(host), strip_www_ignoring_case(page_host))) {
    return true;
  }
  for (const std::string_view internal : options.internal_hosts) {
    if (internal.empty()) continue;
    if (iequals(host, internal)) return true;
    // A subdomain: host ends with "." + internal.
    if (host.size() > internal.size() &&
        host[host.size() - internal.size() - 1] == '.' &&
        iequals(host.substr(host.size() - internal.size()), internal)) {
      return true;
    }
  }
  return false;
}

}  // namespace

namespace detail {

void classify_referrer(std::string_view referrer_url,
                       std::string_view page_host,
                       const referrer_database& db,
                       const referrer_options& options, referrer_info& info) {
  // Direct. Whitespace never starts or ends a URL, so the first byte
  // settles it nearly always ('h' is no space) without a call to trim.
  if (referrer_url.empty() ||
      (static_cast<unsigned char>(referrer_url[0]) <= ' ' &&
       trim(referrer_url).empty())) {
    return;
  }

  url storage;  // holds the parts only when the referrer needs rewriting
  const auto parsed = detail::parse_url_parts(referrer_url, storage);
  if (!parsed || parsed->host.empty()) {
    // Unparsable or host-less: still a referral, named by its text.
    info.medium = referrer_medium::referral;
    info.source = truncate_utf8(sanitize_utf8(trim(referrer_url)), 128);
    return;
  }

  // Hosts of other schemes ("android-app://com.Slack/") keep their case,
  // while http(s) hosts are lower-case already (url.h), and
  // "www.google.com." is the same host as "www.google.com".
  std::string_view host = parsed->host;
  while (host.size() > 1 && host.back() == '.') host.remove_suffix(1);
  set_text(info.host, host);
  bool lowered = false;
  if (parsed->scheme != "https" && parsed->scheme != "http") {
    for (auto& c : info.host) {
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
        lowered = true;
      }
    }
  }
  const std::string_view site = strip_www(info.host);
  if (same_site(info.host, page_host, options)) {
    info.medium = referrer_medium::internal;
    set_text(info.source, site);
    return;
  }

  // A host that was lower-case already is a view of the referrer, so the
  // lookup can view host and path together without a copy.
  const auto* e = db.find(lowered ? std::string_view(info.host) : host,
                          parsed->path);
  if (e == nullptr) {
    info.medium = referrer_medium::referral;
    set_text(info.source, site);
    return;
  }

  info.medium = e->medium;
  info.source = e->source;
  // Only the term's value is decoded: search pages carry long queries.
  for (const auto& key : e->term_params) {
    if (find_query_value(parsed->query, key, info.term)) {
      if (info.term.size() > 256) info.term = truncate_utf8(info.term, 256);
      break;
    }
  }
}

}  // namespace detail

referrer_info classify_referrer(std::string_view referrer_url,
                                std::string_view page_host,
                                const referrer_database& db,
                                const referrer_options& options) {
  referrer_info info;
  detail::classify_referrer(referrer_url, page_host, db, options, info);
  return info;
}

}  // namespace loopkit
