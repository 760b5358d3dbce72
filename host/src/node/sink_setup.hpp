// Matches the [[sink]] tables of a Config with the loaded sink plugins and checks each table's keys
// against what its plugin declares. Shared by `ferry config check` and `ferry node`, so both reject
// exactly the same files.
#pragma once

#include <memory>
#include <vector>

#include "config/config.hpp"
#include "plugin/catalog.hpp"

namespace ferry::node {

struct ResolvedSink {
  const config::SinkSection* section;
  std::shared_ptr<plugin::Library> library;
  config::PluginValues values;
};

std::vector<ResolvedSink> resolve_sinks(const config::Config& config, const plugin::Catalog& catalog,
                                        std::vector<config::ConfigError>& errors);

// The plugin directories a config asks for: node.plugin_dirs, or the directory beside the binary.
std::vector<std::filesystem::path> plugin_directories(const config::Config& config);

}  // namespace ferry::node
