#include "config/units.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

namespace ferry::config {
namespace {

struct Unit {
  std::string_view suffix;
  uint64_t factor;
};

// Exact-case suffixes: "mb" and "Mb" are ambiguous enough in the wild that guessing would hide mistakes.
constexpr std::array<Unit, 9> size_units{{{"B", 1},
                                          {"KiB", 1ull << 10},
                                          {"MiB", 1ull << 20},
                                          {"GiB", 1ull << 30},
                                          {"TiB", 1ull << 40},
                                          {"KB", 1000},
                                          {"MB", 1000'000},
                                          {"GB", 1000'000'000},
                                          {"TB", 1000'000'000'000}}};

constexpr std::array<Unit, 5> duration_units{
    {{"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 60 * 60 * 1000}, {"d", 24 * 60 * 60 * 1000}}};

// Splits "64 MiB" into 64 and "MiB". Signs, fractions and exponents are rejected: a config value is a
// count, and rounding "1.1KiB" to some byte count would be a silent surprise.
std::optional<std::pair<uint64_t, std::string_view>> split_number(std::string_view text) {
  uint64_t number = 0;
  const char* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, number);
  if (ec != std::errc{} || rest == text.data()) return std::nullopt;
  while (rest != end && *rest == ' ') ++rest;
  return std::pair{number, std::string_view(rest, static_cast<size_t>(end - rest))};
}

template <size_t N>
std::optional<uint64_t> scale(std::string_view text, const std::array<Unit, N>& units, bool unit_required) {
  auto parsed = split_number(text);
  if (!parsed) return std::nullopt;
  auto [number, suffix] = *parsed;
  if (suffix.empty()) {
    if (unit_required) return std::nullopt;
    return number;
  }
  for (const Unit& unit : units) {
    if (unit.suffix != suffix) continue;
    if (number > std::numeric_limits<uint64_t>::max() / unit.factor) return std::nullopt;
    return number * unit.factor;
  }
  return std::nullopt;
}

template <size_t N>
std::string format_exact(uint64_t value, const std::array<Unit, N>& units, size_t first, size_t last) {
  for (size_t i = last + 1; i-- > first;) {
    if (value != 0 && value % units[i].factor == 0)
      return std::to_string(value / units[i].factor) + std::string(units[i].suffix);
  }
  return std::to_string(value) + std::string(units[0].suffix);
}

}  // namespace

std::optional<uint64_t> parse_size(std::string_view text) { return scale(text, size_units, false); }

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto ms = scale(text, duration_units, true);
  if (!ms || *ms > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(*ms));
}

// Binary units only: ranges are powers of two, and "4KiB" reads better than "4096B".
std::string format_size(uint64_t bytes) { return format_exact(bytes, size_units, 1, 4); }

std::string format_duration(int64_t ms) {
  if (ms < 0) return std::to_string(ms) + "ms";
  return format_exact(static_cast<uint64_t>(ms), duration_units, 1, 4);
}

}  // namespace ferry::config
