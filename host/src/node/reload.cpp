#include "node/reload.hpp"

#include <algorithm>

#include "handshake/text.hpp"
#include "node/config_changes.hpp"

namespace ferry::node {
namespace {

std::string joined(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
  return text;
}

std::string listed(const std::vector<std::string>& items) { return "[" + joined(items) + "]"; }

std::vector<std::string> codec_names(const ProtocolSetup& protocol) {
  std::vector<std::string> names;
  for (const auto& codec : protocol.codecs) names.push_back(codec->name() + " (" + codec->version().text() + ")");
  return names;
}

std::string pin_text(const handshake::LocalNode& local) {
  return local.max_version ? handshake::to_string(*local.max_version) : "none";
}

bool refused_before(const plugin::Catalog& catalog, const plugin::PluginRecord& record) {
  return std::any_of(catalog.records().begin(), catalog.records().end(), [&](const plugin::PluginRecord& old) {
    return !old.loaded && old.path == record.path && old.reason == record.reason;
  });
}

bool loaded_before(const plugin::Catalog& catalog, const plugin::PluginRecord& record) {
  return std::any_of(catalog.records().begin(), catalog.records().end(), [&](const plugin::PluginRecord& old) {
    return old.loaded && old.path == record.path && old.name == record.name && old.version == record.version;
  });
}

std::vector<std::string> protocol_changes(const ProtocolSetup& before, const ProtocolSetup& after) {
  std::vector<std::string> changes;
  const auto old_names = codec_names(before), new_names = codec_names(after);
  std::vector<std::string> added, removed;
  for (const auto& name : new_names)
    if (std::find(old_names.begin(), old_names.end(), name) == old_names.end()) added.push_back(name);
  for (const auto& name : old_names)
    if (std::find(new_names.begin(), new_names.end(), name) == new_names.end()) removed.push_back(name);
  if (!added.empty()) changes.push_back("codecs added: " + joined(added));
  if (!removed.empty())
    changes.push_back("codecs removed: " + joined(removed) +
                      " (each stays loaded until the last connection that speaks it closes)");
  const handshake::LocalNode &a = *before.local, &b = *after.local;
  if (a.max_version != b.max_version)
    changes.push_back("protocol.max_version: " + pin_text(a) + " -> " + pin_text(b));
  if (a.features.required != b.features.required)
    changes.push_back("protocol.require_features: " + listed(a.features.required) + " -> " +
                      listed(b.features.required));
  if (a.features.disabled != b.features.disabled)
    changes.push_back("protocol.disable_features: " + listed(a.features.disabled) + " -> " +
                      listed(b.features.disabled));
  return changes;
}

}  // namespace

std::string describe_codecs(const ProtocolSetup& protocol) {
  std::string text = joined(codec_names(protocol));
  if (protocol.local->max_version) text += ", pinned to " + pin_text(*protocol.local) + " by protocol.max_version";
  return text;
}

std::variant<Reload, std::string> prepare_reload(const RunningSet& running, const config::LoadResult& reread,
                                                 const plugin::FilePolicy& policy, runtime::EventLoop* loop) {
  if (!reread.config) {
    std::vector<std::string> errors;
    for (const auto& error : reread.errors) errors.push_back(error.to_string());
    return "the configuration is invalid: " + joined(errors, "; ");
  }
  const config::Config& config = *reread.config;
  auto catalog = plugin::Catalog::scan(plugin_directories(config), policy);

  std::vector<std::string> broken;
  for (const auto& record : catalog.records())
    if (!record.loaded && !refused_before(running.catalog, record))
      broken.push_back("plugin " + record.path.string() + " is refused: " + record.reason);
  if (!broken.empty()) return joined(broken, "; ");

  const handshake::LocalNode& local = *running.protocol.local;
  auto protocol = prepare_protocol(config, catalog, local.id, local.incarnation, loop);
  if (auto* failure = std::get_if<std::string>(&protocol)) return *failure;

  Reload reload;
  for (const auto& record : catalog.records())
    if (record.loaded && !loaded_before(running.catalog, record))
      reload.loaded.push_back(record.kind + " plugin " + record.name + " " + record.version + " (ABI " + record.abi +
                              (record.protocol.empty() ? "" : ", protocol " + record.protocol) + ") from " +
                              record.path.string());
  reload.changes = protocol_changes(running.protocol, std::get<ProtocolSetup>(protocol));
  reload.not_applied = config_changes(running.config, config).not_applied;
  reload.next = RunningSet{config, std::move(catalog), std::move(std::get<ProtocolSetup>(protocol))};
  return reload;
}

}  // namespace ferry::node
