// Sizes and durations as users write them. parse_size and parse_duration are declared in config.hpp;
// the formatters here turn a range back into the user's units for error messages.
#pragma once

#include <cstdint>
#include <string>

#include "config/config.hpp"

namespace ferry::config {

// The largest binary unit that divides `bytes` exactly: 4096 -> "4KiB", 1000 -> "1000B".
std::string format_size(uint64_t bytes);
// The largest unit that divides `ms` exactly: 60000 -> "1m", 1500 -> "1500ms".
std::string format_duration(int64_t ms);

}  // namespace ferry::config
