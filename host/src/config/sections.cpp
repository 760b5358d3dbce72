#include "config/sections.hpp"

#include <algorithm>
#include <vector>

#include "config/convert.hpp"
#include "config/raw_keys.hpp"
#include "config/schema.hpp"
#include "config/spelling.hpp"

namespace ferry::config {
namespace {

// Reads one node into one member of Config. Every reader checks the node's type itself, because toml++'s
// value<T>() answers a mismatch with an empty optional and no hint of what was there.
class ValueReader {
 public:
  ValueReader(const KeySpec& spec, const toml::node& node, std::string path, Diagnostics& diag)
      : spec_(spec), node_(node), path_(std::move(path)), diag_(diag) {}

  void operator()(std::string& (*member)(Config&), Config& config) const {
    if (auto value = read_string(node_, path_)) member(config) = std::move(*value);
  }

  void operator()(std::vector<std::string>& (*member)(Config&), Config& config) const {
    const toml::array* array = node_.as_array();
    if (!array) return fail(node_, path_, "expected an array of strings, got " + describe(node_));
    std::vector<std::string> values;
    bool ok = true;
    for (size_t i = 0; i < array->size(); ++i) {
      auto value = read_string((*array)[i], path_ + "[" + std::to_string(i) + "]");
      ok = ok && value.has_value();
      if (value) values.push_back(std::move(*value));
    }
    if (ok) member(config) = std::move(values);
  }

  void operator()(uint32_t& (*member)(Config&), Config& config) const {
    auto value = to_integer(written(), spec_.minimum, spec_.maximum);
    if (auto* problem = std::get_if<std::string>(&value)) return fail(node_, path_, std::move(*problem));
    member(config) = static_cast<uint32_t>(std::get<int64_t>(value));
  }

  void operator()(uint64_t& (*member)(Config&), Config& config) const {
    auto value = to_size(written(), spec_.minimum, spec_.maximum);
    if (auto* problem = std::get_if<std::string>(&value)) return fail(node_, path_, std::move(*problem));
    member(config) = std::get<uint64_t>(value);
  }

  void operator()(std::chrono::milliseconds& (*member)(Config&), Config& config) const {
    auto value = to_duration(written(), spec_.minimum, spec_.maximum);
    if (auto* problem = std::get_if<std::string>(&value)) return fail(node_, path_, std::move(*problem));
    member(config) = std::get<std::chrono::milliseconds>(value);
  }

  void operator()(bool& (*member)(Config&), Config& config) const {
    if (const auto* boolean = node_.as_boolean()) {
      member(config) = boolean->get();
      return;
    }
    fail(node_, path_, "expected true or false, got " + describe(node_));
  }

 private:
  Written written() const {
    const auto* integer = node_.as_integer();
    const auto* string = node_.as_string();
    return {integer ? &integer->get() : nullptr, string ? &string->get() : nullptr, literal(node_), describe(node_)};
  }

  std::optional<std::string> read_string(const toml::node& node, const std::string& path) const {
    const auto* string = node.as_string();
    if (!spec_.choices.empty() &&
        (!string || std::find(spec_.choices.begin(), spec_.choices.end(), string->get()) == spec_.choices.end())) {
      std::string allowed;
      for (std::string_view choice : spec_.choices)
        allowed += (allowed.empty() ? "\"" : ", \"") + std::string(choice) + "\"";
      fail(node, path, "expected one of " + allowed + ", got " + (string ? literal(node) : describe(node)));
      return std::nullopt;
    }
    if (!string) {
      fail(node, path, "expected a string, got " + describe(node));
      return std::nullopt;
    }
    if (spec_.check) {
      if (auto problem = spec_.check(string->get())) {
        fail(node, path, std::move(*problem));
        return std::nullopt;
      }
    }
    return string->get();
  }

  void fail(const toml::node& node, const std::string& path, std::string message) const {
    diag_.error(diag_.locate(node), path, std::move(message));
  }

  const KeySpec& spec_;
  const toml::node& node_;
  std::string path_;
  Diagnostics& diag_;
};

std::vector<std::string_view> key_names(std::string_view section) {
  std::vector<std::string_view> names;
  for (const KeySpec& spec : schema())
    if (spec.section == section) names.push_back(spec.name);
  return names;
}

// plugin_keys, when given, receives the keys the schema does not know instead of errors: they belong to
// the section's plugin.
void read_section(std::string_view section, const toml::table& table, Config& config, Diagnostics& diag,
                  std::vector<PluginKey>* plugin_keys) {
  for (auto&& entry : table) {
    // Named references rather than a structured binding: clang 14 cannot capture bindings in lambdas.
    const toml::key& key = entry.first;
    const toml::node& node = entry.second;
    std::string path = std::string(section) + "." + std::string(key.str());
    const KeySpec* spec = find_key(section, key.str());
    if (!spec && plugin_keys) {
      if (auto value = read_plugin_key(path, key, node, diag)) plugin_keys->push_back(std::move(*value));
      continue;
    }
    if (!spec) {
      diag.error(
          diag.locate(key, node), path,
          "unknown key in [" + std::string(section) + "]" + suggestion(key.str(), key_names(section), "known keys"));
      continue;
    }
    diag.remember(path, diag.locate(node));
    std::visit([&](auto member) { ValueReader(*spec, node, path, diag)(member, config); }, spec->target);
  }
}

// [transport] holds the transport plugin's own keys beside plugin, listen and peers.
void read_transport(const toml::table& table, Config& config, Diagnostics& diag) {
  TransportSection& transport = config.transport;
  transport.location = diag.locate(table);
  const toml::node* plugin = table.get("plugin");
  transport.plugin_location = plugin ? diag.locate(*plugin) : transport.location;
  read_section("transport", table, config, diag, &transport.keys);
  sort_in_file_order(transport.keys);
}

}  // namespace

void read_sections(const toml::table& root, Config& config, Diagnostics& diag) {
  // Without a [transport] table, errors about the transport plugin point at the file as a whole.
  config.transport.location = config.transport.plugin_location = Location{diag.source(), 0, 0};
  std::vector<std::string_view> known(sections().begin(), sections().end());
  known.push_back("sink");
  for (auto&& [key, node] : root) {
    std::string_view name = key.str();
    if (name == "sink") continue;
    if (!is_section(name)) {
      diag.error(diag.locate(key, node), std::string(name),
                 (node.is_table() ? "unknown section" : "unknown key") + suggestion(name, known, "known sections"));
      continue;
    }
    if (const toml::table* table = node.as_table(); table && name == "transport")
      read_transport(*table, config, diag);
    else if (table)
      read_section(name, *table, config, diag, nullptr);
    else
      diag.error(diag.locate(key, node), std::string(name),
                 "expected a table [" + std::string(name) + "], got " + describe(node));
  }
}

}  // namespace ferry::config
