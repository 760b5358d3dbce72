// The `ferry` binary: one executable, one subcommand per task.
#include <ferry/abi.h>

#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"ferry moves data between the machines of a cluster"};
  app.fallthrough();
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       std::string("ferry ") + FERRY_VERSION + " (plugin ABI " + std::to_string(FERRY_ABI_MAJOR) + "." +
                           std::to_string(FERRY_ABI_MINOR) + ")");

  int exit_status = ferry::cli::exit_ok;
  ferry::cli::add_node_command(app, exit_status);
  ferry::cli::add_ping_command(app, exit_status);
  ferry::cli::add_transfer_commands(app, exit_status);
  ferry::cli::add_status_command(app, exit_status);
  ferry::cli::add_plugins_command(app, exit_status);
  ferry::cli::add_config_command(app, exit_status);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? ferry::cli::exit_ok : ferry::cli::exit_usage;
  }
  return exit_status;
}
