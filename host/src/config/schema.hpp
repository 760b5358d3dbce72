// Every key of the file besides [[sink]] tables: its section, name, where it lands in Config, and what a
// valid value is. One table drives reading, override resolution and the docs test, so they cannot drift.
// Defaults live in config.hpp's member initializers.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/config.hpp"

namespace ferry::config {

// The member's type decides how the value is read: uint32_t is an integer, uint64_t a size,
// milliseconds a duration; a string with `choices` is an enumeration.
using Target = std::variant<std::string& (*)(Config&), std::vector<std::string>& (*)(Config&), uint32_t& (*)(Config&),
                            uint64_t& (*)(Config&), bool& (*)(Config&), std::chrono::milliseconds& (*)(Config&)>;

// Returns what is wrong with a string (or one element of a list), or nullopt when it is fine.
using StringCheck = std::optional<std::string> (*)(std::string_view);

inline constexpr int64_t unbounded = std::numeric_limits<int64_t>::max();

struct KeySpec {
  std::string_view section;
  std::string_view name;
  Target target;
  int64_t minimum = 0;  // integers: a count; sizes: bytes; durations: milliseconds
  int64_t maximum = unbounded;
  std::span<const std::string_view> choices = {};
  StringCheck check = nullptr;

  std::string path() const { return std::string(section) + "." + std::string(name); }
};

std::span<const KeySpec> schema();
std::span<const std::string_view> sections();  // in the order the docs and examples present them
const KeySpec* find_key(std::string_view section, std::string_view name);
bool is_section(std::string_view name);

}  // namespace ferry::config
