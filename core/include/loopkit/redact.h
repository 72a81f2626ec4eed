// Keeping personal data in the page: raw email addresses must never be sent
// or stored, wherever a form, a script or a URL puts them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace loopkit {

// True for text shaped like an email address ("x@y.z", or "x%40y.z" as a URL
// carries it), wherever it hides in a longer string.
bool looks_like_email(std::string_view s);

// The text with every address-shaped run replaced by "redacted":
//   "user:jane@x.com" -> "user:redacted"
std::string scrub_emails(std::string_view s);

// Removes, at any depth, members named like an email field ("email",
// "e-mail", "email_address", "mail") and any string that looks like an email
// address. Returns how many values it removed.
std::size_t strip_emails(nlohmann::json& props);

// The URL with every query or fragment value that decodes to an email
// address replaced by "redacted", and any other address in it (a path, user
// info) scrubbed:
//   "https://s.test/thanks?email=jane%40x.com&plan=pro#top"
//   -> "https://s.test/thanks?email=redacted&plan=pro#top"
// A form that submits by GET puts the address there; nothing else changes.
std::string redact_url_emails(std::string_view url);

}  // namespace loopkit
