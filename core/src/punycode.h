// Punycode (https://www.rfc-editor.org/rfc/rfc3492), the ASCII spelling of
// internationalized domain labels: "bücher" -> "bcher-kva".
#pragma once

#include <optional>
#include <string>

namespace loopkit::detail {

// Encodes a label given as Unicode code points, without the "xn--" prefix.
// Fails only when the label is too long to encode (over 63 code points is
// already more than DNS allows).
[[nodiscard]] std::optional<std::string> punycode_encode(
    const std::u32string& label);

}  // namespace loopkit::detail
