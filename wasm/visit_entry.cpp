// classifyVisit's way across the boundary without Embind: Embind converts
// each std::string argument in a JS loop and builds the result object field
// by field, which cost more than the classification itself. Here JS writes
// both strings as UTF-8 into one buffer in the wasm heap (visit_entry.js)
// and reads the three answers back from another.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "loopkit/visit.h"

namespace {

std::string input;   // the page URL, then the referrer, as UTF-8
std::string answer;  // source, medium and channel, back to back
std::uint32_t sizes[4];
loopkit::visit_report report;  // kept from call to call: no allocation

}  // namespace

extern "C" {

// Room for size bytes of input; JS asks again only when it needs more.
EMSCRIPTEN_KEEPALIVE char* loopkit_visit_buffer(std::size_t size) {
  if (input.size() < size) input.resize(size);
  return input.data();
}

// Classifies the page URL in the buffer's first page_size bytes with the
// referrer in the next referrer_size. Returns {address of the answer text,
// source size, medium size, channel size}; a page URL that does not parse
// gives three empty strings, as classify_visit does (adapters.h).
EMSCRIPTEN_KEEPALIVE const std::uint32_t* loopkit_classify_visit(
    std::size_t page_size, std::size_t referrer_size) {
  const std::string_view text(input.data(), page_size + referrer_size);
  const auto error = loopkit::inspect_visit(text.substr(0, page_size),
                                            text.substr(page_size), "", report);
  answer.clear();
  sizes[1] = sizes[2] = sizes[3] = 0;
  if (!error) {
    const loopkit::visit_report& v = report;
    answer.append(v.source.source).append(v.source.medium).append(v.channel);
    sizes[1] = static_cast<std::uint32_t>(v.source.source.size());
    sizes[2] = static_cast<std::uint32_t>(v.source.medium.size());
    sizes[3] = static_cast<std::uint32_t>(v.channel.size());
  }
  sizes[0] = static_cast<std::uint32_t>(
      reinterpret_cast<std::uintptr_t>(answer.data()));
  return sizes;
}

}  // extern "C"
