#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "loopkit/referrer.h"

namespace loopkit::detail {

// One source of the built-in referrer list, as its referer-parser JSON form
// would hold it: {"<medium>": {"<source>": {"parameters": [...], "domains":
// [...]}}}. Both lists are separated by single spaces, which keeps the table
// a few string literals rather than hundreds of pointers.
struct default_referrer {
  referrer_medium medium;
  const char* source;
  const char* parameters;  // the search term's, in order; "" for none
  const char* domains;     // lower-case hosts, and host/path keys
};

// The built-in list (default_referrer_database), in the order it is added.
extern const default_referrer default_referrers[];
extern const std::size_t default_referrer_count;

// The hash the referrer database indexes its keys by, declared here so a
// unit test can build a database whose keys collide.
std::uint32_t referrer_key_hash(std::string_view key);

}  // namespace loopkit::detail
