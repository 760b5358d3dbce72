// Internal: reads the [[sink]] tables of a parsed file. Only name and plugin are checked here; the other
// keys belong to the plugin and are kept raw for validate_plugin_keys.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/diagnostics.hpp"

namespace ferry::config {

// With no [[sink]] tables the result is the one implicit sink {name "null", plugin "null"}.
std::vector<SinkSection> read_sinks(const toml::table& root, Diagnostics& diag);

// How errors name a sink's key: "sink.NAME.KEY" (what --set accepts), or "sink[INDEX].KEY" when the
// table has no usable name.
std::string sink_key_path(const SinkSection& sink, size_t index, std::string_view key);

}  // namespace ferry::config
