// `ferry node`: runs a node until SIGTERM or SIGINT.
#include <CLI/CLI.hpp>

#include <memory>

#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/exit_codes.hpp"
#include "node/node.hpp"

namespace ferry::cli {

void add_node_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<ConfigOptions>();
  CLI::App* command = app.add_subcommand("node", "Run a node from a configuration file until SIGTERM or SIGINT");
  options->add_to(*command);
  command->callback([options, &exit_status] {
    const auto config = options->load(true);
    if (!config) {
      exit_status = exit_invalid;
      return;
    }
    options->configure_logging(*config);
    exit_status = node::run_node(*config);
  });
}

}  // namespace ferry::cli
