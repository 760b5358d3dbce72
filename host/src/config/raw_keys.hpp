// Internal: keeps the keys that belong to a plugin ([[sink]] tables, [transport]) raw, with their
// locations, for validate_plugin_keys to check once the plugin is loaded.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/diagnostics.hpp"

namespace ferry::config {

// The key as written, or nullopt after reporting a value no plugin key can take (a table, a date, a mixed
// array). path names the key in that error.
std::optional<PluginKey> read_plugin_key(const std::string& path, const toml::key& key, const toml::node& node,
                                         Diagnostics& diag);

// Tables iterate in key order; plugins and users expect the order of the file, overrides last.
void sort_in_file_order(std::vector<PluginKey>& keys);

}  // namespace ferry::config
