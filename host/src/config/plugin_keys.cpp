#include <algorithm>
#include <limits>
#include <sstream>
#include <type_traits>

#include "config/config.hpp"
#include "config/convert.hpp"
#include "config/quote.hpp"
#include "config/spelling.hpp"

namespace ferry::config {
namespace {

using Raw = decltype(PluginKey::raw);

std::string literal(const Raw& raw) {
  struct {
    std::string operator()(const std::string& s) const { return quote(s); }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(double d) const {
      std::ostringstream out;
      out << d;
      return out.str();
    }
    std::string operator()(const std::vector<std::string>&) const { return "an array"; }
  } visitor;
  return std::visit(visitor, raw);
}

std::string describe(const Raw& raw) {
  static constexpr const char* types[] = {"a string", "an integer", "a boolean", "a float", "an array"};
  if (std::holds_alternative<std::vector<std::string>>(raw)) return types[raw.index()];
  return literal(raw) + " (" + types[raw.index()] + ")";
}

// The ABI says minimum == maximum == 0 means unbounded; sizes and durations are never negative anyway.
std::pair<int64_t, int64_t> bounds(const PluginKeySpec& spec) {
  if (spec.minimum != 0 || spec.maximum != 0) return {spec.minimum, spec.maximum};
  constexpr int64_t max = std::numeric_limits<int64_t>::max();
  return {spec.type == plugin_key_integer ? std::numeric_limits<int64_t>::min() : 0, max};
}

// Converts one value, or returns what is wrong with it.
std::variant<PluginValue, std::string> convert(const PluginKeySpec& spec, const Raw& raw) {
  auto [minimum, maximum] = bounds(spec);
  const auto* string = std::get_if<std::string>(&raw);
  Written written{std::get_if<int64_t>(&raw), string, literal(raw), describe(raw)};
  auto as_plugin_value = [](auto converted) -> std::variant<PluginValue, std::string> {
    if (auto* problem = std::get_if<std::string>(&converted)) return std::move(*problem);
    auto value = std::get<0>(converted);
    if constexpr (std::is_same_v<decltype(value), std::chrono::milliseconds>)
      return PluginValue{static_cast<int64_t>(value.count())};
    else
      return PluginValue{static_cast<int64_t>(value)};
  };
  switch (spec.type) {
    case plugin_key_string:
      if (string) return PluginValue{*string};
      return "expected a string, got " + describe(raw);
    case plugin_key_boolean:
      if (const auto* boolean = std::get_if<bool>(&raw)) return PluginValue{*boolean};
      return "expected true or false, got " + describe(raw);
    case plugin_key_integer:
      return as_plugin_value(to_integer(written, minimum, maximum));
    case plugin_key_size:
      // PluginValue holds int64_t, so the largest size a plugin can take is INT64_MAX bytes.
      return as_plugin_value(to_size(written, minimum, maximum));
    case plugin_key_duration:
      return as_plugin_value(to_duration(written, minimum, maximum));
  }
  return "the plugin declares this key with unknown type " + std::to_string(spec.type);
}

}  // namespace

PluginTable plugin_table(const SinkSection& sink) {
  return {"sink." + sink.name, sink.plugin, sink.location, sink.keys, {"name", "plugin"}};
}

PluginTable plugin_table(const TransportSection& transport) {
  return {"transport", transport.plugin, transport.location, transport.keys, {"plugin", "listen", "peers"}};
}

std::vector<ConfigError> validate_plugin_keys(const PluginTable& table, const std::vector<PluginKeySpec>& spec,
                                              PluginValues& out) {
  std::vector<ConfigError> errors;
  auto report = [&](const Location& at, std::string_view key, std::string message) {
    errors.push_back({at.file, at.line, at.column, table.label + "." + std::string(key), std::move(message)});
  };
  const std::string kind = table.label.substr(0, table.label.find('.'));
  std::vector<std::string_view> names;
  for (const PluginKeySpec& declared : spec) names.push_back(declared.name);
  std::vector<std::string_view> near_names = names;
  near_names.insert(near_names.end(), table.reserved.begin(), table.reserved.end());

  for (const PluginKey& key : table.keys) {
    auto declared = std::find_if(spec.begin(), spec.end(), [&](const PluginKeySpec& s) { return s.name == key.name; });
    if (declared == spec.end()) {
      std::string message = "unknown key for " + kind + " plugin \"" + table.plugin + "\"";
      // A typo of one of the host's own keys (a sink's "name", the transport's "listen") lands here too.
      if (auto near = closest(key.name, near_names))
        message += "; did you mean \"" + std::string(*near) + "\"?";
      else
        message += names.empty() ? ", which takes no keys of its own" : suggestion(key.name, names, "its keys");
      report(key.location, key.name, std::move(message));
      continue;
    }
    auto converted = convert(*declared, key.raw);
    if (auto* problem = std::get_if<std::string>(&converted))
      report(key.location, key.name, std::move(*problem));
    else
      out.values.insert_or_assign(key.name, std::get<PluginValue>(std::move(converted)));
  }

  for (const PluginKeySpec& declared : spec) {
    bool present =
        std::any_of(table.keys.begin(), table.keys.end(), [&](const PluginKey& k) { return k.name == declared.name; });
    if (declared.required && !present)
      report(table.location, declared.name, "missing required key of " + kind + " plugin \"" + table.plugin + "\"");
  }
  return errors;
}

}  // namespace ferry::config
