// Errors as values: a Result holds either a T or the reason it could not be produced.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ferry::handshake {

struct Error {
  std::string reason;  // one sentence naming what was wrong
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}
  Result(Error error) : value_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(value_); }
  explicit operator bool() const { return ok(); }

  // Only when ok().
  const T& value() const& { return std::get<T>(value_); }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  // Only when !ok().
  const Error& error() const { return std::get<Error>(value_); }

 private:
  std::variant<T, Error> value_;
};

}  // namespace ferry::handshake
