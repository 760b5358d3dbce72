// `ferry config check`: validates a configuration file, including the keys its transport's and sinks'
// plugins declare.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/exit_codes.hpp"
#include "node/sink_setup.hpp"
#include "node/start_files.hpp"

namespace ferry::cli {
namespace {

struct CheckOptions {
  ConfigOptions config;
  std::string positional_file;
};

int check(const CheckOptions& options) {
  ConfigOptions config_options = options.config;
  if (!options.positional_file.empty()) {
    if (!config_options.file.empty() && config_options.file != options.positional_file) {
      std::cerr << "error: give the configuration file once, either as -c FILE or as FILE\n";
      return exit_usage;
    }
    config_options.file = options.positional_file;
  }
  const auto config = config_options.load(true);
  if (!config) return exit_invalid;

  const auto catalog = plugin::Catalog::scan(node::plugin_directories(*config), plugin::FilePolicy::for_current_process());
  std::vector<config::ConfigError> errors;
  node::resolve_transport(*config, catalog, errors);
  node::resolve_sinks(*config, catalog, errors);
  node::check_start_files(*config, errors);
  for (const auto& error : errors) std::cerr << "error: " << error.to_string() << '\n';
  if (!errors.empty()) return exit_invalid;
  std::cout << config->source << ": valid\n";
  return exit_ok;
}

}  // namespace

void add_config_command(CLI::App& app, int& exit_status) {
  CLI::App* config = app.add_subcommand("config", "Work with configuration files");
  config->require_subcommand(1);
  auto options = std::make_shared<CheckOptions>();
  CLI::App* command = config->add_subcommand("check", "Validate a configuration file (exit 0 valid, 1 invalid)");
  options->config.add_to(*command);
  command->add_option("file", options->positional_file, "Configuration file (same as -c FILE)");
  command->callback([options, &exit_status] { exit_status = check(*options); });
}

}  // namespace ferry::cli
