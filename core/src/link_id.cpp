#include "link_id.h"

#include <algorithm>
#include <utility>

#include "loopkit/query.h"
#include "loopkit/text.h"

namespace loopkit::link_id {

namespace {

// Beyond 12 digits base36 overflows 63 bits; milliseconds need 9 until
// the year 5188.
constexpr std::size_t max_base36_digits = 12;

int base36_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return -1;
}

// The query runs from just after `question` (npos: no query) to `end`, the
// fragment's '#' or the end of the text. A '?' after the first '#' belongs
// to the fragment.
struct query_span {
  std::size_t question = std::string_view::npos;
  std::size_t end = 0;
};

query_span find_query(std::string_view url) {
  query_span s;
  s.end = std::min(url.find('#'), url.size());
  const auto q = url.substr(0, s.end).find('?');
  if (q != std::string_view::npos) s.question = q;
  return s;
}

}  // namespace

bool valid_visitor_id(std::string_view id) {
  if (id.size() < 8 || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string base36(std::int64_t ms) {
  if (ms <= 0) return "0";
  std::string out;
  auto v = static_cast<std::uint64_t>(ms);
  while (v > 0) {
    out.insert(out.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36]);
    v /= 36;
  }
  return out;
}

std::optional<link_value> parse_value(std::string_view text) {
  const auto dot = text.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto id = text.substr(0, dot);
  const auto digits = text.substr(dot + 1);
  if (!valid_visitor_id(id) || digits.empty() ||
      digits.size() > max_base36_digits) {
    return std::nullopt;
  }

  std::int64_t time = 0;
  for (const char c : digits) {
    const int d = base36_digit(c);
    if (d < 0) return std::nullopt;
    time = time * 36 + d;
  }
  return link_value{std::string(id), time};
}

std::optional<std::string> fresh_visitor(std::string_view value,
                                         std::int64_t now) {
  auto link = parse_value(value);
  if (!link) return std::nullopt;
  const std::int64_t age = now - link->time;
  if (age > lifetime_ms || age < -lifetime_ms) return std::nullopt;
  return std::move(link->visitor_id);
}

bool valid_param_name(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::optional<stripped_url> strip_param(std::string_view url,
                                        std::string_view key) {
  const query_span span = find_query(url);
  if (span.question == std::string_view::npos) return std::nullopt;
  std::string_view query =
      url.substr(span.question + 1, span.end - span.question - 1);

  std::string kept;
  std::optional<std::string> value;
  while (true) {
    const auto amp = query.find('&');
    const auto piece = query.substr(0, amp);
    const auto eq = piece.find('=');
    if (!piece.empty() && raw_key_equals(piece.substr(0, eq), key)) {
      if (!value) {
        value = eq == std::string_view::npos
                    ? std::string()
                    : decode_query_component(piece.substr(eq + 1));
      }
    } else {
      if (!kept.empty()) kept += '&';
      kept.append(piece);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  if (!value) return std::nullopt;

  std::string out(url.substr(0, span.question));
  if (!kept.empty()) out.append("?").append(kept);
  out.append(url.substr(span.end));
  return stripped_url{std::move(out), std::move(*value)};
}

std::string add_param(std::string_view url, std::string_view key,
                      std::string_view value) {
  const query_span span = find_query(url);
  std::string out(url.substr(0, span.end));
  if (span.question == std::string_view::npos) {
    out += '?';
  } else if (span.end > span.question + 1 && out.back() != '&') {
    out += '&';
  }
  out.append(key).append("=").append(value);
  out.append(url.substr(span.end));
  return out;
}

bool host_in(std::string_view host, const std::vector<std::string>& hosts) {
  for (const std::string& h : hosts) {
    if (h.empty() || host.size() < h.size()) continue;
    const auto tail = host.substr(host.size() - h.size());
    if (!iequals(tail, h)) continue;
    if (host.size() == h.size() || host[host.size() - h.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace loopkit::link_id
