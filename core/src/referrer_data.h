#pragma once

#include <cstdint>
#include <string_view>

namespace loopkit::detail {

extern const char* const default_referrers_json;

// The hash the referrer database indexes its keys by, declared here so a
// unit test can build a database whose keys collide.
std::uint32_t referrer_key_hash(std::string_view key);

}  // namespace loopkit::detail
