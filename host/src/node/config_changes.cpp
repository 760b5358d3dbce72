#include "node/config_changes.hpp"

#include <algorithm>
#include <variant>

#include "config/schema.hpp"

namespace ferry::node {
namespace {

// The cluster secret is part of the handshake's LocalNode, which a reload rebuilds (the file is read again).
bool applied_live(const config::KeySpec& key) {
  return key.section == "protocol" || key.path() == "node.plugin_dirs" || key.path() == "communication.cluster_secret_file";
}

bool same_keys(const std::vector<config::PluginKey>& a, const std::vector<config::PluginKey>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const config::PluginKey& x, const config::PluginKey& y) { return x.name == y.name && x.raw == y.raw; });
}

}  // namespace

ConfigChanges config_changes(const config::Config& running, const config::Config& reloaded) {
  ConfigChanges changes;
  // The schema's accessors take a mutable Config; these copies are only read.
  config::Config a = running, b = reloaded;
  for (const config::KeySpec& key : config::schema()) {
    const bool same = std::visit([&](auto get) { return get(a) == get(b); }, key.target);
    if (!same) (applied_live(key) ? changes.applied : changes.not_applied).push_back(key.path());
  }
  if (!same_keys(a.transport.keys, b.transport.keys)) changes.not_applied.push_back("transport (plugin keys)");
  for (const config::SinkSection& sink : b.sinks) {
    const auto old = std::find_if(a.sinks.begin(), a.sinks.end(),
                                  [&](const config::SinkSection& s) { return s.name == sink.name; });
    if (old == a.sinks.end() || old->plugin != sink.plugin || !same_keys(old->keys, sink.keys))
      changes.not_applied.push_back("sink." + sink.name);
  }
  for (const config::SinkSection& sink : a.sinks) {
    const bool kept = std::any_of(b.sinks.begin(), b.sinks.end(),
                                  [&](const config::SinkSection& s) { return s.name == sink.name; });
    if (!kept) changes.not_applied.push_back("sink." + sink.name);
  }
  return changes;
}

}  // namespace ferry::node
