#include "cli/config_options.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "log/logging.hpp"

namespace ferry::cli {

void ConfigOptions::add_to(CLI::App& command) {
  command.add_option("-c,--config", file, "TOML configuration file (default: built-in defaults)");
  command.add_option("--set", overrides, "Override one key: KEY=VALUE, VALUE in TOML syntax (repeatable)")
      ->type_name("KEY=VALUE")
      ->take_all()
      ->allow_extra_args(false);
  command.add_option("--log-level", log_level, "Log level, overriding log.level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
}

std::optional<config::Config> ConfigOptions::load(bool print_warnings) const {
  const config::LoadResult result =
      file.empty() ? config::load_defaults(overrides) : config::load_file(file, overrides);
  for (const auto& error : result.errors) std::cerr << "error: " << error.to_string() << '\n';
  if (print_warnings)
    for (const auto& warning : result.warnings) std::cerr << "warning: " << warning << '\n';
  return result.config;
}

void ConfigOptions::configure_logging(const config::Config& config) const {
  const auto level = log::parse_level(log_level.empty() ? config.log.level : log_level);
  log::configure(level.value_or(2), config.log.format == "json" ? log::Format::json : log::Format::text);
}

}  // namespace ferry::cli
