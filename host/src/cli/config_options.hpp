// The options every command that reads a configuration shares: -c FILE, --set KEY=VALUE, --log-level.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace CLI {
class App;
}

namespace ferry::cli {

struct ConfigOptions {
  std::string file;  // "" = the built-in defaults
  std::vector<std::string> overrides;
  std::string log_level;  // "" = log.level from the configuration

  void add_to(CLI::App& command);
  // Loads and validates; prints every error (and warning) to stderr. nullopt when invalid.
  std::optional<config::Config> load(bool print_warnings) const;
  // Applies log.level / log.format (and --log-level) to the host's logging.
  void configure_logging(const config::Config& config) const;
};

}  // namespace ferry::cli
