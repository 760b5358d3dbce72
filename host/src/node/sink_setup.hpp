// Matches the [[sink]] tables and the [transport] table of a Config with the loaded plugins and checks
// each table's plugin keys against what its plugin declares. Shared by `ferry config check` and
// `ferry node`, so both reject exactly the same files.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "config/config.hpp"
#include "plugin/catalog.hpp"

namespace ferry::node {

struct ResolvedSink {
  const config::SinkSection* section;
  std::shared_ptr<plugin::Library> library;
  config::PluginValues values;
};

// The configuration keys a plugin declares, as validate_plugin_keys takes them.
std::vector<config::PluginKeySpec> plugin_key_specs(const plugin::Library& library);

std::vector<ResolvedSink> resolve_sinks(const config::Config& config, const plugin::Catalog& catalog,
                                        std::vector<config::ConfigError>& errors);

struct ResolvedTransport {
  std::shared_ptr<plugin::Library> library;
  config::PluginValues values;
};

// The transport plugin named by transport.plugin, with its validated keys; nullopt after adding errors.
std::optional<ResolvedTransport> resolve_transport(const config::Config& config, const plugin::Catalog& catalog,
                                                   std::vector<config::ConfigError>& errors);

// The plugin directories a config asks for: node.plugin_dirs, or the directory beside the binary.
std::vector<std::filesystem::path> plugin_directories(const config::Config& config);

}  // namespace ferry::node
