#include "config/sinks.hpp"

#include "config/raw_keys.hpp"
#include "config/string_checks.hpp"

namespace ferry::config {
namespace {

// Reads "name" or "plugin": a required string that passes check_plugin_name.
std::optional<std::string> read_identifier(const toml::table& table, std::string_view key, const std::string& path,
                                           Diagnostics& diag) {
  const toml::node* node = table.get(key);
  if (!node) {
    diag.error(diag.locate(table), path, "missing required key \"" + std::string(key) + "\"");
    return std::nullopt;
  }
  const auto* string = node->as_string();
  auto problem = string ? check_plugin_name(string->get()) : "expected a string, got " + describe(*node);
  if (problem) {
    diag.error(diag.locate(*node), path, std::move(*problem));
    return std::nullopt;
  }
  return string->get();
}

// Keeps a sink whose name is usable even when other keys had errors, so that checks naming it (duplicate
// names, stream.default_sink) do not add confusing errors of their own.
std::optional<SinkSection> read_sink(const toml::table& table, size_t index, Diagnostics& diag) {
  SinkSection sink;
  sink.location = diag.locate(table);
  auto name = read_identifier(table, "name", sink_key_path(sink, index, "name"), diag);
  if (name) sink.name = *name;
  if (auto plugin = read_identifier(table, "plugin", sink_key_path(sink, index, "plugin"), diag)) sink.plugin = *plugin;
  sink.plugin_location = table.contains("plugin") ? diag.locate(*table.get("plugin")) : sink.location;
  for (auto&& [key, node] : table) {
    if (key.str() == "name" || key.str() == "plugin") continue;
    if (auto value = read_plugin_key(sink_key_path(sink, index, key.str()), key, node, diag))
      sink.keys.push_back(std::move(*value));
  }
  sort_in_file_order(sink.keys);
  if (!name) return std::nullopt;
  return sink;
}

void reject_duplicates(const std::vector<SinkSection>& sinks, Diagnostics& diag) {
  for (size_t i = 0; i < sinks.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (sinks[i].name != sinks[j].name) continue;
      const Location& first = sinks[j].location;
      diag.error(sinks[i].location, "sink." + sinks[i].name + ".name",
                 "duplicate sink name \"" + sinks[i].name + "\" (first defined at " + first.file + ":" +
                     std::to_string(first.line) + ":" + std::to_string(first.column) + ")");
      break;
    }
  }
}

}  // namespace

std::string sink_key_path(const SinkSection& sink, size_t index, std::string_view key) {
  std::string base = sink.name.empty() ? "sink[" + std::to_string(index) + "]" : "sink." + sink.name;
  return base + "." + std::string(key);
}

std::vector<SinkSection> read_sinks(const toml::table& root, Diagnostics& diag) {
  const toml::node* node = root.get("sink");
  const Location nowhere{diag.source(), 0, 0};
  if (!node) return {SinkSection{"null", "null", nowhere, nowhere, {}}};
  const toml::array* array = node->as_array();
  if (!array || (!array->empty() && !array->is_homogeneous(toml::node_type::table))) {
    diag.error(diag.locate(*node), "sink",
               "expected [[sink]] tables, each with a name and a plugin, got " + describe(*node));
    return {};
  }
  if (array->empty()) return {SinkSection{"null", "null", diag.locate(*node), diag.locate(*node), {}}};
  std::vector<SinkSection> sinks;
  for (size_t i = 0; i < array->size(); ++i)
    if (auto sink = read_sink(*(*array)[i].as_table(), i, diag)) sinks.push_back(std::move(*sink));
  reject_duplicates(sinks, diag);
  return sinks;
}

}  // namespace ferry::config
