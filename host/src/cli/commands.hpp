// The `ferry` subcommands. Each registers itself on the application and, when chosen, sets exit_status.
#pragma once

namespace CLI {
class App;
}

namespace ferry::cli {

void add_plugins_command(CLI::App& app, int& exit_status);
void add_config_command(CLI::App& app, int& exit_status);
void add_node_command(CLI::App& app, int& exit_status);
void add_ping_command(CLI::App& app, int& exit_status);
// `ferry send` and `ferry fetch`.
void add_transfer_commands(CLI::App& app, int& exit_status);
void add_status_command(CLI::App& app, int& exit_status);

}  // namespace ferry::cli
