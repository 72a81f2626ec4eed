// SHA-256 (FIPS 180-4), so a lead's email is hashed inside the page and the
// raw address never leaves it.
#pragma once

#include <string>
#include <string_view>

namespace loopkit {

// Lower-case hex digest of the bytes of data.
std::string sha256_hex(std::string_view data);

// Trimmed, lower-cased, then hashed; empty for an empty address.
std::string hash_email(std::string_view email);

}  // namespace loopkit
