// Helpers shared by the config tests.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace ferry::config::test {

inline LoadResult load(std::string_view text, const std::vector<std::string>& overrides = {}) {
  return load_string(text, "test.toml", overrides);
}

// Every error as the user sees it, one per line, for failure messages and substring checks.
inline std::string all_errors(const LoadResult& result) {
  std::string out;
  for (const ConfigError& error : result.errors) out += error.to_string() + "\n";
  return out;
}

inline const ConfigError* find_error(const LoadResult& result, std::string_view key) {
  for (const ConfigError& error : result.errors)
    if (error.key == key) return &error;
  return nullptr;
}

}  // namespace ferry::config::test
