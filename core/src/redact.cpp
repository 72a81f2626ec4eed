#include "loopkit/redact.h"

#include <optional>

#include "loopkit/query.h"
#include "loopkit/text.h"

namespace loopkit {

using nlohmann::json;

namespace {

// Bytes of UTF-8 sequences count as letters: addresses may hold them
// (RFC 6531), and redacting too much is the safe side.
bool is_utf8_byte(char c) { return static_cast<unsigned char>(c) >= 0x80; }

bool is_local(char c) {
  return is_utf8_byte(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '%' ||
         c == '+' || c == '-';
}

bool is_domain(char c) {
  return is_utf8_byte(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '-';
}

struct span {
  std::size_t begin;
  std::size_t end;
};

// The next address-shaped run at or after from: local part, '@' (or its
// escape "%40", as URLs carry it), a domain with a dot inside.
std::optional<span> next_email(std::string_view s, std::size_t from) {
  for (std::size_t i = from; i < s.size(); ++i) {
    std::size_t at_len = 0;
    if (s[i] == '@') {
      at_len = 1;
    } else if (s[i] == '%' && i + 2 < s.size() && s[i + 1] == '4' &&
               s[i + 2] == '0') {
      at_len = 3;
    } else {
      continue;
    }
    if (i == 0 || !is_local(s[i - 1])) continue;

    std::size_t end = i + at_len;
    while (end < s.size() && is_domain(s[end])) ++end;
    const std::string_view domain = s.substr(i + at_len, end - i - at_len);
    const auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) {
      continue;
    }
    std::size_t begin = i;
    while (begin > 0 && is_local(s[begin - 1])) --begin;
    return span{begin, end};
  }
  return std::nullopt;
}

}  // namespace

bool looks_like_email(std::string_view s) {
  return next_email(s, 0).has_value();
}

std::string scrub_emails(std::string_view s) {
  std::string out;
  std::size_t copied = 0;
  for (auto e = next_email(s, 0); e; e = next_email(s, e->end)) {
    out.append(s.substr(copied, e->begin - copied));
    out += "redacted";
    copied = e->end;
  }
  if (copied == 0) return std::string(s);
  out.append(s.substr(copied));
  return out;
}

std::size_t strip_emails(json& props) {
  std::size_t removed = 0;
  if (props.is_object()) {
    for (auto it = props.begin(); it != props.end();) {
      const std::string key = ascii_lower(it.key());
      const bool named = key == "email" || key == "e-mail" ||
                         key == "email_address" || key == "mail";
      if (named || (it->is_string() &&
                    looks_like_email(it->get_ref<const std::string&>()))) {
        it = props.erase(it);
        ++removed;
      } else {
        removed += strip_emails(*it);
        ++it;
      }
    }
  } else if (props.is_array()) {
    for (auto it = props.begin(); it != props.end();) {
      if (it->is_string() &&
          looks_like_email(it->get_ref<const std::string&>())) {
        it = props.erase(it);
        ++removed;
      } else {
        removed += strip_emails(*it);
        ++it;
      }
    }
  }
  return removed;
}

namespace {

// The text without blanks next to '@': "jane @ corp.example" is an address
// typed loosely.
std::string close_at(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') {
      std::size_t j = i;
      while (j < s.size() && s[j] == ' ') ++j;
      const bool next_at = j < s.size() && s[j] == '@';
      const bool after_at = !out.empty() && out.back() == '@';
      if (next_at || after_at) {
        i = j - 1;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// A query value decoded once, twice and three times (a link passed through
// other links gets "%2540"), each form checked for an address.
bool value_holds_email(std::string_view raw) {
  std::string text(raw);
  for (int round = 0; round < 3; ++round) {
    std::string decoded = percent_decode(text, true);
    if (looks_like_email(decoded) || looks_like_email(close_at(decoded))) {
      return true;
    }
    if (decoded == text) break;
    text = std::move(decoded);
  }
  return false;
}

// Rewrites one '&'-separated list of key=value pieces.
std::string redact_pairs(std::string_view list) {
  std::string out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find('&', start);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view piece = list.substr(start, end - start);
    const auto eq = piece.find('=');
    const std::string_view value =
        eq == std::string_view::npos ? piece : piece.substr(eq + 1);
    if (value_holds_email(value)) {
      if (eq != std::string_view::npos) out.append(piece.substr(0, eq + 1));
      out += "redacted";
    } else {
      out.append(piece);
    }
    if (end < list.size()) out += '&';
    start = end + 1;
  }
  return out;
}

// '@', or a percent escape that may hide one however often it was encoded.
bool may_hold_email(std::string_view s) {
  return s.find('@') != std::string_view::npos ||
         s.find("%40") != std::string_view::npos ||
         s.find("%25") != std::string_view::npos;
}

// Each path segment that decodes to an address becomes "redacted".
std::string redact_path(std::string_view path) {
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    if (value_holds_email(segment)) {
      out += "redacted";
    } else {
      out.append(segment);
    }
    if (end < path.size()) out += '/';
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string redact_url_emails(std::string_view url) {
  if (!may_hold_email(url)) return std::string(url);

  const auto hash = url.find('#');
  const std::string_view before_hash = url.substr(0, hash);
  const auto q = before_hash.find('?');

  // The path starts after "scheme://authority"; the authority (user info
  // included) is left to the scrub below.
  const std::string_view head = before_hash.substr(0, q);
  const auto scheme_end = head.find("://");
  const auto path_at =
      head.find('/', scheme_end == std::string_view::npos ? 0 : scheme_end + 3);
  std::string out(head.substr(0, path_at));
  if (path_at != std::string_view::npos) {
    out += redact_path(head.substr(path_at));
  }
  if (q != std::string_view::npos) {
    out += '?';
    out += redact_pairs(before_hash.substr(q + 1));
  }
  if (hash != std::string_view::npos) {
    out += '#';
    out += redact_pairs(url.substr(hash + 1));
  }
  // Whatever is left: an address in the path, or in user info.
  return scrub_emails(out);
}

}  // namespace loopkit
