#include "loopkit/pattern.h"

#include <algorithm>
#include <optional>
#include <string>

namespace loopkit {

const char* to_string(pattern_error e) {
  switch (e) {
    case pattern_error::empty: return "empty pattern";
    case pattern_error::unbalanced_group: return "unbalanced parenthesis";
    case pattern_error::bad_class: return "bad character class";
    case pattern_error::nothing_to_repeat: return "nothing to repeat";
    case pattern_error::bad_repeat: return "bad repeat count";
    case pattern_error::bad_escape: return "unsupported escape";
    case pattern_error::too_long: return "pattern too long";
  }
  return "bad pattern";
}

namespace {

enum op : std::uint8_t {
  op_byte,
  op_any,
  op_set,
  op_bol,
  op_eol,
  op_split,
  op_jump,
  op_match
};

constexpr std::size_t max_program = 4096;
constexpr int max_repeat = 100;

using byte_set = pattern::byte_set;

void add_byte(byte_set& s, unsigned char c) {
  s.bits[c >> 5] |= 1u << (c & 31);
}

bool has_byte(const byte_set& s, unsigned char c) {
  return (s.bits[c >> 5] >> (c & 31)) & 1u;
}

void add_range(byte_set& s, unsigned char lo, unsigned char hi) {
  for (int c = lo; c <= hi; ++c) add_byte(s, static_cast<unsigned char>(c));
}

void add_other_case(byte_set& s) {
  for (int c = 'a'; c <= 'z'; ++c) {
    const auto upper = static_cast<unsigned char>(c - 'a' + 'A');
    if (has_byte(s, static_cast<unsigned char>(c))) add_byte(s, upper);
    if (has_byte(s, upper)) add_byte(s, static_cast<unsigned char>(c));
  }
}

void invert(byte_set& s) {
  for (auto& word : s.bits) word = ~word;
}

bool is_letter(unsigned char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// \d \w \s and their negations; false for any other letter.
bool shorthand_class(char letter, byte_set& out) {
  byte_set s{};
  switch (letter | 0x20) {
    case 'd': add_range(s, '0', '9'); break;
    case 'w':
      add_range(s, 'a', 'z');
      add_range(s, 'A', 'Z');
      add_range(s, '0', '9');
      add_byte(s, '_');
      break;
    case 's':
      for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v'})
        add_byte(s, c);
      break;
    default: return false;
  }
  if (letter >= 'A' && letter <= 'Z') invert(s);
  for (int i = 0; i < 8; ++i) out.bits[i] |= s.bits[i];
  return true;
}

// \t \n \r \f \v as bytes; -1 for other letters.
int control_escape(char letter) {
  switch (letter) {
    case 't': return '\t';
    case 'n': return '\n';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'v': return '\v';
    default: return -1;
  }
}

// The parse tree; nodes refer to their children by index.
struct node {
  enum kind_t : std::uint8_t { empty, byte, any, set, bol, eol, cat, alt, rep };
  kind_t kind = empty;
  unsigned char value = 0;
  std::uint16_t set_index = 0;
  int min = 0, max = 0;  // rep: max -1 is unbounded
  std::vector<int> kids;
};

class parser {
 public:
  parser(std::string_view src, bool ignore_case, std::vector<byte_set>& sets)
      : src_(src), icase_(ignore_case), sets_(sets) {}

  result<int, pattern_error> parse() {
    const int root = alternation();
    if (error_) return fail(*error_);
    if (pos_ < src_.size()) return fail(pattern_error::unbalanced_group);
    return root;
  }

  std::vector<node> nodes;

 private:
  int add(node n) {
    nodes.push_back(std::move(n));
    return static_cast<int>(nodes.size()) - 1;
  }

  bool at_end() const { return pos_ >= src_.size(); }
  char peek() const { return src_[pos_]; }

  int set_node(byte_set s) {
    if (icase_) add_other_case(s);
    sets_.push_back(s);
    node n;
    n.kind = node::set;
    n.set_index = static_cast<std::uint16_t>(sets_.size() - 1);
    return add(n);
  }

  int literal(unsigned char c) {
    if (icase_ && is_letter(c)) {
      byte_set s{};
      add_byte(s, c);
      return set_node(s);
    }
    node n;
    n.kind = node::byte;
    n.value = c;
    return add(n);
  }

  int alternation() {
    std::vector<int> options{concatenation()};
    while (!error_ && !at_end() && peek() == '|') {
      ++pos_;
      options.push_back(concatenation());
    }
    if (options.size() == 1) return options.front();
    node n;
    n.kind = node::alt;
    n.kids = std::move(options);
    return add(n);
  }

  int concatenation() {
    node n;
    n.kind = node::cat;
    while (!error_ && !at_end() && peek() != '|' && peek() != ')') {
      n.kids.push_back(repeat());
    }
    return add(n);
  }

  // "{m}", "{m,}" or "{m,n}" at pos_; false (and pos_ unmoved) when the
  // brace does not start one, so it is read as a literal, as RE2 does.
  bool braces(int& min, int& max) {
    std::size_t p = pos_ + 1;
    const auto number = [&](int& out) {
      const std::size_t start = p;
      long v = 0;
      while (p < src_.size() && is_digit(src_[p])) {
        v = v * 10 + (src_[p] - '0');
        if (v > 100000) v = 100000;
        ++p;
      }
      out = static_cast<int>(v);
      return p > start;
    };
    if (!number(min)) return false;
    max = min;
    if (p < src_.size() && src_[p] == ',') {
      ++p;
      if (!number(max)) max = -1;
    }
    if (p >= src_.size() || src_[p] != '}') return false;
    pos_ = p + 1;
    return true;
  }

  int repeat() {
    const int atom_index = atom();
    if (error_ || at_end()) return atom_index;

    int min = 0, max = 0;
    const char c = peek();
    if (c == '*') {
      min = 0, max = -1, ++pos_;
    } else if (c == '+') {
      min = 1, max = -1, ++pos_;
    } else if (c == '?') {
      min = 0, max = 1, ++pos_;
    } else if (c != '{' || !braces(min, max)) {
      return atom_index;
    }
    if (min > max_repeat || max > max_repeat || (max >= 0 && max < min)) {
      return fail_with(pattern_error::bad_repeat);
    }
    const auto kind = nodes[atom_index].kind;
    if (kind == node::bol || kind == node::eol) {
      return fail_with(pattern_error::nothing_to_repeat);
    }
    if (!at_end() && peek() == '?') ++pos_;  // lazy: same yes/no answer
    if (!at_end() && (peek() == '*' || peek() == '+' || peek() == '?')) {
      return fail_with(pattern_error::nothing_to_repeat);
    }

    node n;
    n.kind = node::rep;
    n.min = min;
    n.max = max;
    n.kids = {atom_index};
    return add(n);
  }

  int atom() {
    const char c = src_[pos_++];
    switch (c) {
      case '(': {
        if (src_.substr(pos_, 2) == "?:") pos_ += 2;
        const int inner = alternation();
        if (error_) return inner;
        if (at_end() || peek() != ')') {
          return fail_with(pattern_error::unbalanced_group);
        }
        ++pos_;
        return inner;
      }
      case ')': return fail_with(pattern_error::unbalanced_group);
      case '*':
      case '+':
      case '?': return fail_with(pattern_error::nothing_to_repeat);
      case '.': {
        node n;
        n.kind = node::any;
        return add(n);
      }
      case '^':
      case '$': {
        node n;
        n.kind = c == '^' ? node::bol : node::eol;
        return add(n);
      }
      case '[': return bracket();
      case '\\': return escape();
      default: return literal(static_cast<unsigned char>(c));
    }
  }

  int escape() {
    if (at_end()) return fail_with(pattern_error::bad_escape);
    const char c = src_[pos_++];
    byte_set s{};
    if (shorthand_class(c, s)) return set_node(s);
    if (const int control = control_escape(c); control >= 0) {
      return literal(static_cast<unsigned char>(control));
    }
    if (is_letter(static_cast<unsigned char>(c)) ||
        is_digit(static_cast<unsigned char>(c))) {
      return fail_with(pattern_error::bad_escape);  // \b, \1, \p: unsupported
    }
    return literal(static_cast<unsigned char>(c));
  }

  // One class member at pos_: a byte (-1 when it was a shorthand like \d,
  // already added to s).
  int class_member(byte_set& s) {
    const char c = src_[pos_++];
    if (c != '\\') return static_cast<unsigned char>(c);
    if (at_end()) return fail_with(pattern_error::bad_class), -1;
    const char e = src_[pos_++];
    if (shorthand_class(e, s)) return -1;
    if (const int control = control_escape(e); control >= 0) return control;
    if (is_letter(static_cast<unsigned char>(e)) ||
        is_digit(static_cast<unsigned char>(e))) {
      return fail_with(pattern_error::bad_escape), -1;
    }
    return static_cast<unsigned char>(e);
  }

  int bracket() {
    byte_set s{};
    const bool negated = !at_end() && peek() == '^';
    if (negated) ++pos_;
    bool first = true;
    while (true) {
      if (at_end()) return fail_with(pattern_error::bad_class);
      if (peek() == ']' && !first) break;
      first = false;
      const int lo = class_member(s);
      if (error_) return 0;
      if (lo < 0) continue;
      const bool range =
          pos_ + 1 < src_.size() && peek() == '-' && src_[pos_ + 1] != ']';
      if (!range) {
        add_byte(s, static_cast<unsigned char>(lo));
        continue;
      }
      ++pos_;  // '-'
      const int hi = class_member(s);
      if (error_) return 0;
      if (hi < 0 || hi < lo) return fail_with(pattern_error::bad_class);
      add_range(s, static_cast<unsigned char>(lo),
                static_cast<unsigned char>(hi));
    }
    ++pos_;  // ']'
    if (icase_) add_other_case(s);
    if (negated) invert(s);
    sets_.push_back(s);
    node n;
    n.kind = node::set;
    n.set_index = static_cast<std::uint16_t>(sets_.size() - 1);
    return add(n);
  }

  int fail_with(pattern_error e) {
    if (!error_) error_ = e;
    pos_ = src_.size();
    return 0;
  }

  std::string_view src_;
  std::size_t pos_ = 0;
  bool icase_;
  std::vector<byte_set>& sets_;
  std::optional<pattern_error> error_;
};

// Thompson's construction over the parse tree.
class compiler {
 public:
  compiler(const std::vector<node>& nodes,
           std::vector<pattern::instruction>& program)
      : nodes_(nodes), program_(program) {}

  bool emit(int index) {
    if (program_.size() > max_program) return false;
    const node& n = nodes_[index];
    switch (n.kind) {
      case node::empty: return true;
      case node::byte: return push({op_byte, n.value, 0, 0});
      case node::any: return push({op_any, 0, 0, 0});
      case node::set: return push({op_set, 0, n.set_index, 0});
      case node::bol: return push({op_bol, 0, 0, 0});
      case node::eol: return push({op_eol, 0, 0, 0});
      case node::cat:
        for (const int kid : n.kids) {
          if (!emit(kid)) return false;
        }
        return true;
      case node::alt: return emit_alternation(n);
      case node::rep: return emit_repeat(n);
    }
    return false;
  }

  bool push(pattern::instruction i) {
    if (program_.size() >= max_program) return false;
    program_.push_back(i);
    return true;
  }

 private:
  std::uint16_t here() const {
    return static_cast<std::uint16_t>(program_.size());
  }

  bool emit_alternation(const node& n) {
    std::vector<std::size_t> jumps_to_end;
    for (std::size_t k = 0; k + 1 < n.kids.size(); ++k) {
      const std::size_t split = program_.size();
      if (!push({op_split, 0, 0, 0})) return false;
      program_[split].arg = here();
      if (!emit(n.kids[k])) return false;
      jumps_to_end.push_back(program_.size());
      if (!push({op_jump, 0, 0, 0})) return false;
      program_[split].arg2 = here();
    }
    if (!emit(n.kids.back())) return false;
    for (const auto j : jumps_to_end) program_[j].arg = here();
    return true;
  }

  bool emit_repeat(const node& n) {
    for (int i = 0; i < n.min; ++i) {
      if (!emit(n.kids[0])) return false;
    }
    if (n.max < 0) {
      const std::uint16_t loop = here();
      if (!push({op_split, 0, static_cast<std::uint16_t>(loop + 1), 0})) {
        return false;
      }
      if (!emit(n.kids[0])) return false;
      if (!push({op_jump, 0, loop, 0})) return false;
      program_[loop].arg2 = here();
      return true;
    }
    for (int i = n.min; i < n.max; ++i) {
      const std::size_t split = program_.size();
      if (!push({op_split, 0, static_cast<std::uint16_t>(split + 1), 0})) {
        return false;
      }
      if (!emit(n.kids[0])) return false;
      program_[split].arg2 = here();
    }
    return true;
  }

  const std::vector<node>& nodes_;
  std::vector<pattern::instruction>& program_;
};

// Scratch space for search(), reused across calls on the same thread.
struct scratch {
  std::vector<std::uint16_t> current, next, stack;
  std::vector<std::uint32_t> mark;
  std::uint32_t generation = 0;
};

}  // namespace

result<pattern, pattern_error> compile_pattern(std::string_view source,
                                               bool ignore_case) {
  if (source.empty()) return fail(pattern_error::empty);
  if (source.size() > max_pattern_length) return fail(pattern_error::too_long);

  pattern p;
  parser parse(source, ignore_case, p.classes_);
  const auto root = parse.parse();
  if (!root) return fail(root.error());

  compiler emit(parse.nodes, p.program_);
  if (!emit.emit(*root) || !emit.push({op_match, 0, 0, 0})) {
    return fail(pattern_error::too_long);
  }
  return p;
}

bool pattern::search(std::string_view text) const {
  if (program_.empty()) return false;
  thread_local scratch s;
  const std::size_t size = program_.size();
  if (s.mark.size() < size) {
    s.mark.assign(size, 0);
    s.current.reserve(size);
    s.next.reserve(size);
    s.stack.reserve(2 * size);
  }

  // Follows jumps, splits and anchors from pc at position pos; returns true
  // when a thread reaches the match.
  const auto add = [&](std::vector<std::uint16_t>& list, std::uint16_t start,
                       std::size_t pos) {
    s.stack.clear();
    s.stack.push_back(start);
    while (!s.stack.empty()) {
      const std::uint16_t pc = s.stack.back();
      s.stack.pop_back();
      if (s.mark[pc] == s.generation) continue;
      s.mark[pc] = s.generation;
      const instruction& in = program_[pc];
      switch (in.op) {
        case op_match: return true;
        case op_jump: s.stack.push_back(in.arg); break;
        case op_split:
          s.stack.push_back(in.arg2);
          s.stack.push_back(in.arg);
          break;
        case op_bol:
          if (pos == 0) s.stack.push_back(static_cast<std::uint16_t>(pc + 1));
          break;
        case op_eol:
          if (pos == text.size()) {
            s.stack.push_back(static_cast<std::uint16_t>(pc + 1));
          }
          break;
        default: list.push_back(pc);
      }
    }
    return false;
  };

  const auto next_generation = [&] {
    if (++s.generation == 0) {  // wrapped: old marks could collide
      std::fill(s.mark.begin(), s.mark.end(), 0);
      s.generation = 1;
    }
  };

  next_generation();
  s.current.clear();
  if (add(s.current, 0, 0)) return true;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const auto c = static_cast<unsigned char>(text[pos]);
    next_generation();
    s.next.clear();
    for (const std::uint16_t pc : s.current) {
      const instruction& in = program_[pc];
      const bool step = (in.op == op_byte && in.byte == c) ||
                        (in.op == op_any && c != '\n') ||
                        (in.op == op_set && has_byte(classes_[in.arg], c));
      if (step && add(s.next, static_cast<std::uint16_t>(pc + 1), pos + 1)) {
        return true;
      }
    }
    // A match may start at any position.
    if (add(s.next, 0, pos + 1)) return true;
    s.current.swap(s.next);
  }
  return false;
}

}  // namespace loopkit
