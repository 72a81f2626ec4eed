// Referrer classification: where a visit came from, by the referring URL.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loopkit/json_error.h"
#include "loopkit/result.h"

namespace loopkit {

enum class referrer_medium : std::uint8_t {
  direct,    // no referrer
  internal,  // the site itself, or a host configured as the site's own
  search,
  social,
  email,     // webmail and email tools
  paid,      // ad networks
  chatbot,   // AI assistants
  unknown,   // listed in a database as neither of the above
  referral,  // any other site
};

const char* to_string(referrer_medium m);
std::optional<referrer_medium> parse_referrer_medium(std::string_view s);

struct referrer_info {
  referrer_medium medium = referrer_medium::direct;
  std::string source;  // "Google", "LinkedIn", "Gmail"; the host for referral
  std::string term;    // search term, when the URL carries one
  std::string host;
};

// Known referrer hosts and the parameters that carry search terms. Entries
// hold a host and optionally a path prefix ("google.fr/imgres").
class referrer_database {
 public:
  struct entry {
    referrer_medium medium;
    std::string source;
    std::vector<std::string> term_params;
  };

  referrer_database();
  ~referrer_database();
  // A copy is independent: a tracker extends its copy of the built-in list
  // without touching the original. A moved-from database is empty.
  referrer_database(const referrer_database& other);
  referrer_database& operator=(const referrer_database& other);
  referrer_database(referrer_database&&) noexcept;
  referrer_database& operator=(referrer_database&&) noexcept;

  // Adds a host or host/path for a source; a later add replaces an earlier
  // one for the same key.
  void add(std::string_view host_and_path, entry e);

  // The most specific entry for host and path: host+path prefixes first, then
  // the host, then each parent domain ("news.google.com" -> "google.com").
  [[nodiscard]] const entry* find(std::string_view host,
                                  std::string_view path) const;

  [[nodiscard]] std::size_t size() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Reads a database in the referer-parser JSON format:
//   {"search": {"Google": {"domains": ["google.com", "google.fr/imgres"],
//                          "parameters": ["q"]}}, "social": {...}, ...}
// with the mediums search, social, email, paid, chatbot and unknown. Entries
// are added to db, replacing any for the same host and path; on error db is
// left as it was.
[[nodiscard]] result<bool, json_error> load_referrer_database(
    std::string_view json_text, referrer_database& db);

// Our own compact list: the major search engines (with their term
// parameters), social networks, webmail and email tools, AI assistants, ad
// networks, and the Android apps among them, which refer as
// "android-app://com.google.android.gm/".
const referrer_database& default_referrer_database();

struct referrer_options {
  std::vector<std::string> internal_hosts;  // a host here covers subdomains
};

// Classifies the referring URL for a page on page_host. An empty referrer is
// direct; one that does not parse is a referral from its text, never lost.
// The database entry is the most specific match for the referrer's host
// (lower-cased, without a trailing dot) and path; its search term is the
// first listed parameter present in the query, form-decoded, not trimmed.
//   classify_referrer("https://www.google.com/search?q=crm", "shop.test")
//   -> search, "Google", term "crm".
referrer_info classify_referrer(std::string_view referrer_url,
                                std::string_view page_host,
                                const referrer_database& db =
                                    default_referrer_database(),
                                const referrer_options& options = {});

}  // namespace loopkit
