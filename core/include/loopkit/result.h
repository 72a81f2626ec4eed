// A value or a named failure. Web traffic brings broken URLs and odd
// referrers every second, so parsers report them as data, not exceptions.
#pragma once

#include <utility>
#include <variant>

namespace loopkit {

template <class E>
struct failure {
  E error;
};

template <class E>
failure<E> fail(E error) {
  return failure<E>{std::move(error)};
}

template <class T, class E>
class result {
 public:
  result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
  result(failure<E> f) : data_(std::in_place_index<1>, std::move(f.error)) {}
  // A default value, for a caller that fills it where it lies: a large
  // value is then never moved.
  explicit result(std::in_place_t) : data_(std::in_place_index<0>) {}

  [[nodiscard]] bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  // Throws std::bad_variant_access unless has_value(); check first.
  T& value() { return std::get<0>(data_); }
  const T& value() const { return std::get<0>(data_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Throws std::bad_variant_access when has_value().
  const E& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, E> data_;
};

}  // namespace loopkit
