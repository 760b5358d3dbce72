#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <tuple>

#include "config/cross_checks.hpp"
#include "config/diagnostics.hpp"
#include "config/overrides.hpp"
#include "config/sections.hpp"
#include "config/sinks.hpp"

namespace ferry::config {
namespace {

constexpr std::string_view defaults_source = "(built-in defaults)";
// A configuration file is a few kilobytes; anything near this bound is a wrong path, not a config.
constexpr size_t max_file_size = 16 << 20;

// toml++ keeps a table's keys sorted by name, so errors are found in that order; users read files top down.
// Errors with a line come first, then those about keys left at their defaults, then those from --set (by key).
void sort_by_position(std::vector<ConfigError>& errors) {
  auto rank = [](const ConfigError& e) {
    return std::tuple(e.file == override_source ? 2 : e.line == 0 ? 1 : 0, e.line, e.column);
  };
  std::stable_sort(errors.begin(), errors.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
}

LoadResult finish(std::optional<Config> config, Diagnostics& diag) {
  sort_by_position(diag.errors);
  LoadResult result;
  if (diag.errors.empty()) result.config = std::move(config);
  result.errors = std::move(diag.errors);
  result.warnings = std::move(diag.warnings);
  return result;
}

LoadResult load_table(toml::table root, const std::vector<std::string>& overrides, Diagnostics& diag) {
  apply_overrides(root, overrides, diag);
  Config config;
  config.source = diag.source();
  read_sections(root, config, diag);
  config.sinks = read_sinks(root, diag);
  cross_check(config, diag);
  return finish(std::move(config), diag);
}

LoadResult file_error(const std::filesystem::path& file, std::string message) {
  LoadResult result;
  result.errors.push_back({file.string(), 0, 0, "", std::move(message)});
  return result;
}

}  // namespace

LoadResult load_string(std::string_view text, std::string_view source_name, const std::vector<std::string>& overrides) {
  Diagnostics diag{std::string(source_name)};
  try {
    return load_table(toml::parse(text, source_name), overrides, diag);
  } catch (const toml::parse_error& error) {
    diag.error(diag.locate(error.source()), "", std::string(error.description()));
    return finish(std::nullopt, diag);
  }
}

LoadResult load_defaults(const std::vector<std::string>& overrides) {
  Diagnostics diag{std::string(defaults_source)};
  return load_table(toml::table{}, overrides, diag);
}

LoadResult load_file(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return file_error(file, "is a directory, expected a TOML file");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!stream) return file_error(file, std::string("cannot open: ") + std::strerror(errno));
  std::string text;
  char buffer[64 * 1024];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, stream.get())) {
    text.append(buffer, n);
    if (text.size() > max_file_size) return file_error(file, "larger than 16MiB, expected a TOML file");
  }
  if (std::ferror(stream.get())) return file_error(file, std::string("cannot read: ") + std::strerror(errno));
  return load_string(text, file.string(), overrides);
}

}  // namespace ferry::config
