// `ferry node`: runs a node until SIGTERM or SIGINT; SIGHUP reloads its plugins and [protocol].
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
  auto burn_in_rate = std::make_shared<uint32_t>(0);
  command
      ->add_option("--burn-in", *burn_in_rate,
                   "Send RATE numbered test messages per second to every peer and check those received, "
                   "for burn-in and upgrade checks (see docs/operations.md)")
      ->type_name("RATE")
      ->check(CLI::Range(1u, 100000u));
  command->callback([options, burn_in_rate, &exit_status] {
    const auto config = options->load(true);
    if (!config) {
      exit_status = exit_invalid;
      return;
    }
    options->configure_logging(*config);
    node::NodeOptions node_options{[options] {
                                     return options->file.empty()
                                                ? config::load_defaults(options->overrides)
                                                : config::load_file(options->file, options->overrides);
                                   },
                                   *burn_in_rate};
    exit_status = node::run_node(*config, node_options);
  });
}

}  // namespace ferry::cli
