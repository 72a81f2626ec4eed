#pragma once

namespace loopkit::detail {

extern const char* const default_referrers_json;

}  // namespace loopkit::detail
