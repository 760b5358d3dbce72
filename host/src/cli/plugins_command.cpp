// `ferry plugins`: every file in the plugin directories, loaded or refused, and why.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/exit_codes.hpp"
#include "node/sink_setup.hpp"
#include "plugin/catalog.hpp"
#include "util/json.hpp"

namespace ferry::cli {
namespace {

struct PluginsOptions {
  ConfigOptions config;
  bool json = false;
};

std::string json_report(const plugin::Catalog& catalog) {
  using util::append_json_string;
  std::string out = "[";
  bool first = true;
  for (const auto& r : catalog.records()) {
    out += first ? "\n  {" : ",\n  {";
    first = false;
    const auto field = [&](const char* name, const std::string& value, bool comma = true) {
      out += '"';
      out += name;
      out += "\":";
      append_json_string(out, value);
      if (comma) out += ',';
    };
    field("kind", r.kind);
    field("name", r.name);
    field("version", r.version);
    field("abi", r.abi);
    field("protocol", r.protocol);
    out += "\"features\":[";
    for (size_t i = 0; i < r.features.size(); ++i) {
      if (i > 0) out += ',';
      append_json_string(out, r.features[i]);
    }
    out += "],\"config_keys\":[";
    for (size_t i = 0; i < r.config_keys.size(); ++i) {
      const auto& key = r.config_keys[i];
      out += i > 0 ? ",{" : "{";
      field("name", key.name);
      field("type", key.type);
      out += key.required ? "\"required\":true," : "\"required\":false,";
      field("help", key.help, false);
      out += '}';
    }
    out += "],";
    field("description", r.description);
    field("path", r.path.string());
    field("status", r.loaded ? "loaded" : "refused");
    field("reason", r.reason, false);
    out += '}';
  }
  out += first ? "]\n" : "\n]\n";
  return out;
}

void print_table(const plugin::Catalog& catalog) {
  if (catalog.records().empty()) std::cout << "no plugin files found\n";
  for (const auto& r : catalog.records()) {
    if (r.loaded) {
      std::cout << "loaded   " << r.kind << ' ' << r.name << ' ' << r.version << " (ABI " << r.abi << ")";
      // Every codec speaks its version in both modes; the handshake picks one per connection.
      if (!r.protocol.empty()) std::cout << " protocol " << r.protocol << " (stable or rolling-upgrade mode)";
      if (!r.features.empty()) {
        std::cout << " features:";
        for (const auto& feature : r.features) std::cout << ' ' << feature;
      }
      std::cout << "\n         " << r.path.string() << "\n";
      for (const auto& key : r.config_keys)
        std::cout << "         key " << key.name << " (" << key.type << (key.required ? ", required" : "") << "): "
                  << key.help << "\n";
    } else {
      std::cout << "refused  " << r.path.string() << "\n         " << r.reason << "\n";
    }
  }
}

}  // namespace

void add_plugins_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<PluginsOptions>();
  CLI::App* command = app.add_subcommand("plugins", "List the plugins found: loaded, or refused and why");
  options->config.add_to(*command);
  command->add_flag("--json", options->json, "Print a JSON array instead of a table");
  command->callback([options, &exit_status] {
    const auto config = options->config.load(false);
    if (!config) {
      exit_status = exit_invalid;
      return;
    }
    const auto directories = node::plugin_directories(*config);
    const auto catalog = plugin::Catalog::scan(directories, plugin::FilePolicy::for_current_process());
    for (const auto& warning : catalog.warnings()) std::cerr << "warning: " << warning << '\n';
    if (options->json)
      std::cout << json_report(catalog);
    else
      print_table(catalog);
    exit_status = exit_ok;
  });
}

}  // namespace ferry::cli
