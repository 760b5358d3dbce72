#include "config/diagnostics.hpp"

#include <sstream>

#include "config/quote.hpp"

namespace ferry::config {
namespace {

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

}  // namespace

Location Diagnostics::locate(const toml::source_region& region) const {
  if (region.path && *region.path == override_source) return {std::string(override_source), 0, 0};
  return {region.path ? *region.path : source_, region.begin.line, region.begin.column};
}

Location Diagnostics::locate(const toml::key& key, const toml::node& value) const {
  // An override replaces the value but keeps the file's key, so the value decides where it came from.
  const auto& region = key.source();
  Location from_value = locate(value);
  if (from_value.file == override_source || !region.path || region.begin.line == 0) return from_value;
  return locate(region);
}

void Diagnostics::error(Location where, std::string key, std::string message) {
  errors.push_back({std::move(where.file), where.line, where.column, std::move(key), std::move(message)});
}

void Diagnostics::warning(const Location& where, std::string key, std::string message) {
  warnings.push_back(ConfigError{where.file, where.line, where.column, std::move(key), std::move(message)}.to_string());
}

Location Diagnostics::where(const std::string& key) const {
  auto it = seen_.find(key);
  return it == seen_.end() ? Location{source_, 0, 0} : it->second;
}

bool Diagnostics::any_failed(std::initializer_list<std::string_view> keys) const {
  for (const ConfigError& error : errors)
    for (std::string_view key : keys)
      if (error.key.starts_with(key) && (error.key.size() == key.size() || error.key[key.size()] == '[')) return true;
  return false;
}

std::string literal(const toml::node& node) {
  if (node.is_array() || node.is_table()) return type_name(node);
  if (const auto* string = node.as_string()) return quote(string->get());
  std::ostringstream out;
  node.visit([&](const auto& value) {
    if constexpr (!toml::is_container<decltype(value)>) out << value;
  });
  return out.str();
}

std::string describe(const toml::node& node) {
  if (node.is_array() || node.is_table()) return type_name(node);
  return literal(node) + " (" + type_name(node) + ")";
}

}  // namespace ferry::config
