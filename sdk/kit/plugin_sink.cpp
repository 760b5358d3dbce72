#include "plugin_sink.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <memory>
#include <stdexcept>
#include <variant>

#include "config/config.hpp"
#include "node/sink_setup.hpp"
#include "plugin/library.hpp"

namespace ferry::sink_kit {
namespace {

struct Kit {
  KitOptions options;
  std::shared_ptr<plugin::Library> library;
};

Kit& kit() {
  static Kit instance;
  return instance;
}

std::filesystem::path make_scratch() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ferry-sink-check-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot make a scratch directory in " + pattern);
  return pattern;
}

std::string replace_scratch(std::string value, const std::filesystem::path& scratch) {
  static constexpr std::string_view placeholder = "{scratch}";
  for (size_t at = value.find(placeholder); at != std::string::npos; at = value.find(placeholder, at))
    value.replace(at, placeholder.size(), scratch.string());
  return value;
}

std::string joined(const std::vector<config::ConfigError>& errors) {
  std::string text;
  for (const auto& error : errors) text += (text.empty() ? "" : "; ") + error.to_string();
  return text;
}

// The --set values as the sink's [[sink]] table, checked the way `ferry node` checks a configuration file.
std::variant<config::PluginValues, std::string> plugin_values(const std::filesystem::path& scratch) {
  const Kit& current = kit();
  const std::string table =
      "[[sink]]\nname = \"check\"\nplugin = \"" + std::string(current.library->descriptor().name) + "\"\n";
  std::vector<std::string> overrides;
  for (const auto& setting : current.options.settings) {
    const size_t equals = setting.find('=');
    if (equals == std::string::npos || equals == 0) return "--set expects KEY=VALUE, got \"" + setting + "\"";
    overrides.push_back("sink.check." + setting.substr(0, equals) + "=" +
                        replace_scratch(setting.substr(equals + 1), scratch));
  }
  const auto loaded = config::load_string(table, "ferry-sink-check", overrides);
  if (!loaded.errors.empty()) return joined(loaded.errors);
  config::PluginValues values;
  const auto errors = config::validate_plugin_keys(config::plugin_table(loaded.config->sinks.front()),
                                                   node::plugin_key_specs(*current.library), values);
  if (!errors.empty()) return joined(errors);
  return values;
}

void remove_scratch(const std::filesystem::path& scratch) {
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
}

}  // namespace

std::optional<std::string> start_kit(const KitOptions& options) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(options.plugin, error))
    return options.plugin.string() + ": no such file (give the path of the sink's shared object)";
  plugin::LoadFailure failure;
  auto library = plugin::Library::load(std::filesystem::absolute(options.plugin), failure);
  if (!library) return options.plugin.string() + ": refused: " + failure.reason;
  if (library->kind().kind != FERRY_KIND_SINK)
    return options.plugin.string() + ": plugin " + library->descriptor().name + " is a " +
           std::string(library->kind().name) + ", not a sink";
  kit() = Kit{options, std::move(library)};
  const auto scratch = make_scratch();
  auto values = plugin_values(scratch);
  remove_scratch(scratch);
  if (const auto* problem = std::get_if<std::string>(&values)) return *problem;
  return std::nullopt;
}

const KitOptions& kit_options() { return kit().options; }

PluginSink::PluginSink() : scratch_(make_scratch()) {
  // The destructor does not run when the constructor fails.
  auto fail = [this](const std::string& message) {
    remove_scratch(scratch_);
    FAIL(message);
  };
  auto values = plugin_values(scratch_);
  if (const auto* problem = std::get_if<std::string>(&values)) fail(*problem);
  auto created = plugin::SinkInstance::create(kit().library, "check", std::get<0>(values), nullptr);
  if (const auto* error = std::get_if<plugin::PluginError>(&created)) fail("the sink did not start: " + error->message);
  under_test.sink = std::move(std::get<0>(created));
  if (!kit().options.lookup) return;
  under_test.find_visible = [sink = under_test.sink.get()](const std::string& path) -> std::optional<VisibleFile> {
    auto found = sink->lookup(path);
    if (const auto* error = std::get_if<plugin::PluginError>(&found))
      throw std::runtime_error("lookup of " + path + " failed: " + error->message);
    const auto& held = std::get<0>(found);
    if (!held) return std::nullopt;
    return VisibleFile{held->size, held->digest};
  };
}

PluginSink::~PluginSink() {
  under_test = {};
  remove_scratch(scratch_);
}

}  // namespace ferry::sink_kit
