// Email domains for fit scoring: free-mail providers (a person, not a
// company) and throwaway-address services (not a real lead). The built-in
// lists hold the best-known providers only; a model adds its own in
// "email_domains" (docs/scoring.md), for instance from the community list at
// https://github.com/disposable-email-domains/disposable-email-domains
#include <algorithm>

#include "loopkit/scoring.h"
#include "loopkit/text.h"

namespace loopkit {

namespace {

// Consumer webmail, from the providers listed at
// https://en.wikipedia.org/wiki/Comparison_of_webmail_providers
// and large national providers in Europe and Asia.
constexpr std::string_view free_mail[] = {
    "126.com",        "163.com",       "aol.com",        "fastmail.com",
    "free.fr",        "gmail.com",     "gmx.at",         "gmx.ch",
    "gmx.com",        "gmx.de",        "gmx.net",        "googlemail.com",
    "hey.com",        "hotmail.co.uk", "hotmail.com",    "hotmail.de",
    "hotmail.fr",     "icloud.com",    "laposte.net",    "libero.it",
    "live.com",       "mac.com",       "mail.com",       "mail.ru",
    "me.com",         "msn.com",       "naver.com",      "orange.fr",
    "outlook.com",    "outlook.de",    "pm.me",          "proton.me",
    "protonmail.com", "qq.com",        "rediffmail.com", "t-online.de",
    "tutanota.com",   "web.de",        "yahoo.co.uk",    "yahoo.com",
    "yahoo.de",       "yahoo.fr",      "yandex.com",     "yandex.ru",
    "ymail.com",      "zoho.com",
};

// Addresses that expire within minutes or hours.
constexpr std::string_view disposable[] = {
    "10minutemail.com",  "dispostable.com", "fakeinbox.com",  "getnada.com",
    "guerrillamail.com", "maildrop.cc",     "mailinator.com", "mailnesia.com",
    "mintemail.com",     "sharklasers.com", "temp-mail.org",  "tempmail.com",
    "throwawaymail.com", "trashmail.com",   "yopmail.com",
};

// True when domain is listed or a subdomain of a listed one.
template <class List>
bool listed(std::string_view domain, const List& list) {
  for (std::string_view d = domain;;) {
    if (std::find(std::begin(list), std::end(list), d) != std::end(list)) {
      return true;
    }
    const auto dot = d.find('.');
    if (dot == std::string_view::npos) return false;
    d.remove_prefix(dot + 1);
  }
}

}  // namespace

std::string email_domain(std::string_view email) {
  const std::string_view trimmed = trim(email);
  const auto at = trimmed.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view domain = trimmed.substr(at + 1);
  while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
  return ascii_lower(domain.substr(0, 253));
}

email_class classify_email_domain(std::string_view domain,
                                  const scoring_model& model) {
  if (listed(domain, disposable) || listed(domain, model.disposable_domains)) {
    return email_class::disposable;
  }
  if (listed(domain, free_mail) || listed(domain, model.free_mail_domains)) {
    return email_class::free_mail;
  }
  return email_class::corporate;
}

}  // namespace loopkit
