#include "loopkit/referrer.h"

#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "loopkit/query.h"
#include "loopkit/text.h"
#include "loopkit/url.h"
#include "referrer_data.h"

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

struct referrer_database::impl {
  std::unordered_map<std::string, entry> entries;
  // Hosts that have at least one path-qualified entry, so a lookup tries
  // path prefixes only where one could match.
  std::unordered_set<std::string> hosts_with_paths;
};

referrer_database::referrer_database() : impl_(std::make_unique<impl>()) {}
referrer_database::~referrer_database() = default;
referrer_database::referrer_database(const referrer_database& other)
    : impl_(std::make_unique<impl>(other.impl_ ? *other.impl_ : impl{})) {}
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
  if (const auto slash = key.find('/'); slash != std::string::npos) {
    impl_->hosts_with_paths.insert(key.substr(0, slash));
  }
  impl_->entries[std::move(key)] = std::move(e);
}

std::size_t referrer_database::size() const {
  return impl_ ? impl_->entries.size() : 0;
}

namespace {

// The host and each parent domain, most specific first:
// "a.b.example.com", "b.example.com", "example.com", "com".
// The parent domain of host: "b.example.com" for "a.b.example.com"; empty
// after the last label.
std::string_view parent_domain(std::string_view host) {
  const auto dot = host.find('.');
  return dot == std::string_view::npos ? std::string_view{}
                                       : host.substr(dot + 1);
}

}  // namespace

const referrer_database::entry* referrer_database::find(
    std::string_view host, std::string_view path) const {
  if (!impl_) return nullptr;
  const auto& entries = impl_->entries;
  // One key string reused for every lookup: this runs on every page view.
  std::string key;

  // A path entry anywhere up the chain beats a bare host: "www.google.fr" is
  // listed as Google, but "www.google.fr/imgres" is Google Images.
  if (!impl_->hosts_with_paths.empty()) {
    for (auto h = host; !h.empty(); h = parent_domain(h)) {
      key.assign(h);
      if (impl_->hosts_with_paths.count(key) == 0) continue;
      std::string_view p = path;
      while (!p.empty() && p != "/") {
        key.assign(h);
        key.append(p);
        if (auto it = entries.find(key); it != entries.end()) {
          return &it->second;
        }
        const auto slash = p.rfind('/');
        if (slash == std::string_view::npos || slash == 0) break;
        p = p.substr(0, slash);
      }
    }
  }

  for (auto h = host; !h.empty(); h = parent_domain(h)) {
    key.assign(h);
    if (auto it = entries.find(key); it != entries.end()) return &it->second;
  }
  return nullptr;
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

const referrer_database& default_referrer_database() {
  static const referrer_database db = [] {
    referrer_database d;
    // Our own data: a failure here is a bug caught by the unit tests.
    (void)load_referrer_database(detail::default_referrers_json, d);
    return d;
  }();
  return db;
}

namespace {

std::string_view strip_www(std::string_view host) {
  return starts_with(host, "www.") ? host.substr(4) : host;
}

bool same_site(std::string_view host, std::string_view page_host,
               const referrer_options& options) {
  if (!page_host.empty() && strip_www(host) == strip_www(page_host)) {
    return true;
  }
  for (const auto& internal : options.internal_hosts) {
    const std::string h = ascii_lower(internal);
    if (h.empty()) continue;
    if (host == h || ends_with(host, "." + h)) return true;
  }
  return false;
}

}  // namespace

referrer_info classify_referrer(std::string_view referrer_url,
                                std::string_view page_host,
                                const referrer_database& db,
                                const referrer_options& options) {
  referrer_info info;
  if (trim(referrer_url).empty()) return info;  // direct

  const auto parsed = parse_url(referrer_url);
  if (!parsed || parsed->host.empty()) {
    // Unparsable or host-less: still a referral, named by its text.
    info.medium = referrer_medium::referral;
    info.source = truncate_utf8(sanitize_utf8(trim(referrer_url)), 128);
    return info;
  }

  // Hosts of other schemes ("android-app://com.Slack/") keep their case, and
  // "www.google.com." is the same host as "www.google.com".
  info.host = ascii_lower(parsed->host);
  while (info.host.size() > 1 && info.host.back() == '.') info.host.pop_back();
  const std::string page = ascii_lower(page_host);
  if (same_site(info.host, page, options)) {
    info.medium = referrer_medium::internal;
    info.source = std::string(strip_www(info.host));
    return info;
  }

  const auto* e = db.find(info.host, parsed->path);
  if (e == nullptr) {
    info.medium = referrer_medium::referral;
    info.source = std::string(strip_www(info.host));
    return info;
  }

  info.medium = e->medium;
  info.source = e->source;
  // Only the term's value is decoded: search pages carry long queries.
  for (const auto& key : e->term_params) {
    if (auto v = find_query_value(parsed->query, key)) {
      info.term = truncate_utf8(*v, 256);
      break;
    }
  }
  return info;
}

}  // namespace loopkit
