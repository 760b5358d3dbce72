#include "node/sink_setup.hpp"

namespace ferry::node {
namespace {

std::string joined(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

std::vector<config::PluginKeySpec> plugin_key_specs(const plugin::Library& library) {
  const ferry_type_plugin_descriptor& d = library.descriptor();
  std::vector<config::PluginKeySpec> specs;
  for (size_t i = 0; i < d.config_key_count; ++i) {
    const ferry_type_config_key& key = d.config_keys[i];
    specs.push_back({key.name, key.type, key.required != 0, key.minimum, key.maximum});
  }
  return specs;
}

std::vector<ResolvedSink> resolve_sinks(const config::Config& config, const plugin::Catalog& catalog,
                                        std::vector<config::ConfigError>& errors) {
  std::vector<ResolvedSink> resolved;
  for (const config::SinkSection& sink : config.sinks) {
    auto library = catalog.find("sink", sink.plugin);
    if (!library) {
      errors.push_back({sink.location.file, sink.location.line, sink.location.column, "sink." + sink.name + ".plugin",
                        "no sink plugin named '" + sink.plugin + "' is loaded (loaded sink plugins: " +
                            joined(catalog.names("sink")) + "; see `ferry plugins`)"});
      continue;
    }
    ResolvedSink entry{&sink, library, {}};
    const auto key_errors = config::validate_plugin_keys(config::plugin_table(sink), plugin_key_specs(*library), entry.values);
    if (!key_errors.empty()) {
      errors.insert(errors.end(), key_errors.begin(), key_errors.end());
      continue;
    }
    resolved.push_back(std::move(entry));
  }
  return resolved;
}

std::optional<ResolvedTransport> resolve_transport(const config::Config& config, const plugin::Catalog& catalog,
                                                   std::vector<config::ConfigError>& errors) {
  const config::TransportSection& transport = config.transport;
  auto library = catalog.find("transport", transport.plugin);
  if (!library) {
    const config::Location& at = transport.plugin_location;
    errors.push_back({at.file, at.line, at.column, "transport.plugin",
                      "no transport plugin named '" + transport.plugin + "' is loaded (loaded transport plugins: " +
                          joined(catalog.names("transport")) + "; see `ferry plugins`)"});
    return std::nullopt;
  }
  ResolvedTransport resolved{library, {}};
  const auto key_errors =
      config::validate_plugin_keys(config::plugin_table(transport), plugin_key_specs(*library), resolved.values);
  if (!key_errors.empty()) {
    errors.insert(errors.end(), key_errors.begin(), key_errors.end());
    return std::nullopt;
  }
  return resolved;
}

std::vector<std::filesystem::path> plugin_directories(const config::Config& config) {
  if (config.node.plugin_dirs.empty()) return {plugin::default_plugin_directory()};
  return {config.node.plugin_dirs.begin(), config.node.plugin_dirs.end()};
}

}  // namespace ferry::node
