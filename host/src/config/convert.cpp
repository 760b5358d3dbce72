#include "config/convert.hpp"

#include <limits>

#include "config/units.hpp"

namespace ferry::config {
namespace {

constexpr std::string_view size_syntax =
    "an integer number of bytes or a string such as \"64KiB\" or \"16MiB\" "
    "(units B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)";
constexpr std::string_view duration_syntax = "a string such as \"250ms\", \"10s\", \"5m\", \"2h\" or \"1d\"";

}  // namespace

std::string expected(Quantity quantity, int64_t minimum, int64_t maximum) {
  auto format = [quantity](int64_t value) {
    if (quantity == Quantity::size) return format_size(static_cast<uint64_t>(value));
    if (quantity == Quantity::duration) return format_duration(value);
    return std::to_string(value);
  };
  std::string noun = quantity == Quantity::count ? "an integer" : quantity == Quantity::size ? "a size" : "a duration";
  if (maximum == std::numeric_limits<int64_t>::max()) {
    // Sizes and durations cannot be negative, so "at least 0" would only add noise.
    bool any = minimum == std::numeric_limits<int64_t>::min() || (minimum == 0 && quantity != Quantity::count);
    return any ? noun : noun + " of at least " + format(minimum);
  }
  return noun + " in " + format(minimum) + ".." + format(maximum);
}

std::variant<int64_t, std::string> to_integer(const Written& value, int64_t minimum, int64_t maximum) {
  if (value.integer && *value.integer >= minimum && *value.integer <= maximum) return *value.integer;
  return "expected " + expected(Quantity::count, minimum, maximum) + ", got " +
         (value.integer ? value.literal : value.described);
}

std::variant<uint64_t, std::string> to_size(const Written& value, int64_t minimum, int64_t maximum) {
  std::string range = expected(Quantity::size, minimum, maximum);
  std::optional<uint64_t> bytes;
  if (value.integer && *value.integer >= 0) bytes = static_cast<uint64_t>(*value.integer);
  if (value.string) bytes = parse_size(*value.string);
  if (!bytes && !value.integer)
    return "expected " + range + ": " + std::string(size_syntax) + ", got " + value.described;
  if (!bytes || *bytes < static_cast<uint64_t>(minimum) || *bytes > static_cast<uint64_t>(maximum))
    return "expected " + range + ", got " + value.literal;
  return *bytes;
}

std::variant<std::chrono::milliseconds, std::string> to_duration(const Written& value, int64_t minimum,
                                                                 int64_t maximum) {
  std::string range = expected(Quantity::duration, minimum, maximum);
  if (value.integer) {
    // A bare number is the classic seconds-or-milliseconds mix-up: ask rather than guess.
    const std::string& n = value.literal;
    return "expected " + range + ", got " + n + " with no unit: write the unit, e.g. \"" + n + "s\" or \"" + n + "ms\"";
  }
  auto duration = value.string ? parse_duration(*value.string) : std::nullopt;
  if (!duration) return "expected " + range + ": " + std::string(duration_syntax) + ", got " + value.described;
  if (duration->count() < minimum || duration->count() > maximum) return "expected " + range + ", got " + value.literal;
  return *duration;
}

}  // namespace ferry::config
