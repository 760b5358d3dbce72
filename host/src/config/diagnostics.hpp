// Internal: collects errors and warnings while a file is read, and turns toml++ source regions into
// Locations. Includes toml++, so only the config subsystem's own .cpp files include it.
#pragma once

#include <toml++/toml.h>

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace ferry::config {

class Diagnostics {
 public:
  explicit Diagnostics(std::string source) : source_(std::move(source)) {}

  const std::string& source() const { return source_; }

  // Nodes parsed from an override carry the path "--set"; nodes with no region belong to the source.
  Location locate(const toml::source_region& region) const;
  Location locate(const toml::node& node) const { return locate(node.source()); }
  // A key's own position when it has one (the start of its line), else its value's.
  Location locate(const toml::key& key, const toml::node& value) const;

  void error(Location where, std::string key, std::string message);
  void warning(const Location& where, std::string key, std::string message);

  // Where each key was set, so that checks spanning several keys can point at one of them.
  void remember(const std::string& key, Location where) { seen_[key] = std::move(where); }
  // The key was given, in the file or an override.
  bool given(const std::string& key) const { return seen_.count(key) > 0; }
  Location where(const std::string& key) const;
  // Whether any of `keys` (or an element of one) already has an error: checks spanning keys then stay
  // quiet instead of reasoning about a default that stood in for a rejected value.
  bool any_failed(std::initializer_list<std::string_view> keys) const;

  std::vector<ConfigError> errors;
  std::vector<std::string> warnings;

 private:
  std::string source_;
  std::map<std::string, Location, std::less<>> seen_;
};

// A value as the user wrote it, for "got ..." in messages: "64", "\"1KiB\"", "an array".
std::string literal(const toml::node& node);
// The same with its type when that is what is wrong: "\"64\" (a string)", "an array".
std::string describe(const toml::node& node);

}  // namespace ferry::config
