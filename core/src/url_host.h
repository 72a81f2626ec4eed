// The host parser of the URL Standard
// (https://url.spec.whatwg.org/#host-parsing): domains, IPv4 in every
// spelling browsers accept, IPv6, and the opaque hosts of other schemes.
#pragma once

#include <string>
#include <string_view>

#include "loopkit/result.h"
#include "loopkit/url.h"

namespace loopkit::detail {

// The serialized host: a lower-case ASCII domain, dotted-decimal IPv4, or
// "[...]" compressed IPv6 for special schemes; for other schemes the text
// percent-encoded as an opaque host. Fails with bad_host, bad_ipv4 or
// bad_ipv6. An empty input is an error for special schemes only.
//   parse_host("0x7f.1", true) -> "127.0.0.1"
[[nodiscard]] result<std::string, url_error> parse_host(std::string_view input,
                                                        bool special);

}  // namespace loopkit::detail
