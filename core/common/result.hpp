#pragma once
// Result<T>: a value or a Violation, never an exception across core APIs (DESIGN.md, style
// rule 2). C++20 has no std::expected, so this is a small variant wrapper.
#include <cassert>
#include <utility>
#include <variant>

#include "core/common/violation.hpp"

namespace iscsi {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Violation error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Violation& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Violation&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Violation> state_;
};

// Result<void>: success, or a Violation.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Violation error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Violation& error() const& {
    assert(failed_);
    return error_;
  }

 private:
  Violation error_{};
  bool failed_ = false;
};

inline Result<void> success() { return {}; }

}  // namespace iscsi
