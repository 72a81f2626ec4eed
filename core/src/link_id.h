// Cross-domain links: a link to a linked domain carries the visitor id in
// one query parameter, "<visitor id>.<time in base36 ms>", so the page it
// opens can adopt the id while the link is fresh. Private to the core (the
// tracker, and raw views classified at the collector).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loopkit::link_id {

// How long a decorated link carries its id, either side of the page's clock:
// long enough for a slow page load, short enough that a shared or bookmarked
// link does not merge two people.
inline constexpr std::int64_t lifetime_ms = 120 * 1000;

// The parameter's name unless the site sets another.
inline constexpr std::string_view default_param = "_lk";

// 8 to 64 characters of A-Z a-z 0-9 - _ : what a visitor id may hold when it
// comes from outside (storage, a cookie, a link).
bool valid_visitor_id(std::string_view id);

// 1 to 32 characters of A-Z a-z 0-9 - _ : what the parameter's name may be.
bool valid_param_name(std::string_view name);

// Lower-case base36 of a non-negative time; negative times give "0".
std::string base36(std::int64_t ms);

struct link_value {
  std::string visitor_id;
  std::int64_t time = 0;
};

// "<visitor id>.<base36 ms>" -> its parts; nullopt when either is invalid.
std::optional<link_value> parse_value(std::string_view text);

// The visitor id a page opened at now adopts from the parameter's value:
// nullopt when the value is invalid or more than lifetime_ms off now.
std::optional<std::string> fresh_visitor(std::string_view value,
                                         std::int64_t now);

struct stripped_url {
  std::string url;    // without any piece of the query named key
  std::string value;  // the first such piece's value, form-decoded
};

// Removes every query piece named key (matched exactly, after decoding)
// from url's text, keeping the rest as written; a query left empty loses its
// '?'. nullopt when the query holds no such key:
//   strip_param("https://a.test/?x=1&_lk=v.1#f", "_lk")
//   -> {"https://a.test/?x=1#f", "v.1"}
std::optional<stripped_url> strip_param(std::string_view url,
                                        std::string_view key);

// url's text with "key=value" appended to its query, before any fragment.
// key and value must need no percent-encoding.
std::string add_param(std::string_view url, std::string_view key,
                      std::string_view value);

// True when host is one of hosts or a subdomain of one ("www.paypal.com"
// for "paypal.com"). hosts are lower-case; host is compared ignoring case.
bool host_in(std::string_view host, const std::vector<std::string>& hosts);

}  // namespace loopkit::link_id
