// Regular expressions for rules a site writes in JSON (custom channels). A
// small subset of the syntax RE2 and JavaScript share, run by a Thompson NFA
// (https://swtch.com/~rsc/regexp/regexp1.html): time stays linear in the
// text whatever the pattern, nothing throws (the WebAssembly build cannot
// catch exceptions), and native and WebAssembly builds agree byte for byte,
// which std::regex from two standard libraries would not promise.
//
// Syntax: literals; '.' (any byte but '\n'); classes "[a-z0-9_]" and
// "[^...]"; escapes \d \w \s \D \W \S, \t \n \r and any escaped punctuation;
// anchors '^' and '$'; groups "(...)" and "(?:...)"; alternation '|';
// repeats '*', '+', '?', "{m}", "{m,}", "{m,n}" (m, n up to 100), each also
// with a lazy '?' (which cannot change whether a text matches). Bytes are
// matched one by one, so '.' steps over one byte of a UTF-8 character.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "loopkit/result.h"

namespace loopkit {

enum class pattern_error : std::uint8_t {
  empty,              // "": would match everything, surely a mistake
  unbalanced_group,   // "(a" or "a)"
  bad_class,          // "[a", "[z-a]"
  nothing_to_repeat,  // "*a", "a**"
  bad_repeat,         // "a{2,1}", "a{1000}"
  bad_escape,         // a trailing '\', or "\q" (a letter with no meaning)
  too_long,           // over max_pattern_length, or too large compiled
};

const char* to_string(pattern_error e);

inline constexpr std::size_t max_pattern_length = 512;

class pattern {
 public:
  // True when the pattern matches somewhere in text; anchor it with '^' and
  // '$' to match the whole text. Never allocates after the first call on a
  // thread.
  [[nodiscard]] bool search(std::string_view text) const;

  struct instruction {
    std::uint8_t op;
    std::uint8_t byte;
    std::uint16_t arg;  // a jump target, or a class index
    std::uint16_t arg2;
  };
  struct byte_set {
    std::uint32_t bits[8];
  };

 private:
  friend result<pattern, pattern_error> compile_pattern(std::string_view, bool);
  std::vector<instruction> program_;
  std::vector<byte_set> classes_;
};

// Compiles source. With ignore_case, ASCII letters match either case.
//   compile_pattern("^(.*cp.*|ppc|paid.*)$")->search("CPC") -> true
[[nodiscard]] result<pattern, pattern_error> compile_pattern(
    std::string_view source, bool ignore_case = true);

}  // namespace loopkit
