// Numbers, sizes and durations checked against a range, with one set of messages for the host's own keys
// (read from TOML nodes) and for plugin keys (kept raw): users see the same wording for both.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

namespace ferry::config {

enum class Quantity { count, size, duration };

// "an integer in 1..65535", "a size in 4KiB..64MiB", "a duration of at least 1s", "a size": the start of
// an "expected ..." message, with bounds in the user's units. A maximum of INT64_MAX means unbounded, and
// so does a minimum of INT64_MIN.
std::string expected(Quantity quantity, int64_t minimum, int64_t maximum);

// A value as written, whatever it was read from.
struct Written {
  const int64_t* integer = nullptr;     // set when an integer was written
  const std::string* string = nullptr;  // set when a string was written
  std::string literal;                  // for range errors: 0, "1KiB"
  std::string described;                // for type errors: "64" (a string), an array
};

// Each returns the converted value, or the message saying what was expected and what was written.
std::variant<int64_t, std::string> to_integer(const Written& value, int64_t minimum, int64_t maximum);
std::variant<uint64_t, std::string> to_size(const Written& value, int64_t minimum, int64_t maximum);
std::variant<std::chrono::milliseconds, std::string> to_duration(const Written& value, int64_t minimum,
                                                                 int64_t maximum);

}  // namespace ferry::config
