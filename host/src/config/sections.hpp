// Internal: reads the known sections ([node], [communication], ...) of a parsed file into a Config.
#pragma once

#include <toml++/toml.h>

#include "config/config.hpp"
#include "config/diagnostics.hpp"

namespace ferry::config {

// Keys absent from `root` keep the values `config` already has. [[sink]] tables are left to read_sinks.
void read_sections(const toml::table& root, Config& config, Diagnostics& diag);

}  // namespace ferry::config
