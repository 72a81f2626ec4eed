// A deterministic corpus of page views for the benchmarks: landing URLs as
// ad platforms and email tools build them (long queries, many parameters,
// percent-encoded values, click ids) and the referrers browsers send.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace loopkit::bench {

struct page_view {
  std::string page;
  std::string referrer;  // empty for a direct visit
};

// The same seed gives the same corpus on every platform.
std::vector<page_view> make_corpus(std::size_t size, std::uint64_t seed = 42);

}  // namespace loopkit::bench
