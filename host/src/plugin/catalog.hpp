// The plugins found in the plugin directories: every file looked at, loaded or refused with a reason.
// A refused plugin never stops the node; it is reported here, in the log and by `ferry plugins`.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/file_policy.hpp"
#include "plugin/library.hpp"

namespace ferry::plugin {

struct ConfigKeyRecord {
  std::string name, type, help;
  bool required = false;
};

struct PluginRecord {
  std::filesystem::path path;
  bool loaded = false;
  std::string reason;  // why it was refused; empty when loaded
  // As far as the descriptor could be read (always, when loaded).
  std::string kind, name, version, abi, description;
  std::vector<std::string> features;
  std::string protocol;  // codecs: the wire-protocol version, "MAJOR.MINOR"; empty for other kinds
  std::vector<ConfigKeyRecord> config_keys;
  std::shared_ptr<Library> library;  // when loaded
};

class Catalog {
 public:
  // Looks at every *.so in the directories, in order (files sorted by name within each), and loads what
  // the policy and the ABI allow. The first plugin to claim a name keeps it.
  static Catalog scan(const std::vector<std::filesystem::path>& directories, const FilePolicy& policy);

  const std::vector<PluginRecord>& records() const { return records_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

  // The loaded plugin of that kind and name, or null.
  std::shared_ptr<Library> find(std::string_view kind, std::string_view name) const;
  // Names of the loaded plugins of a kind, for messages such as "available: null, fs".
  std::vector<std::string> names(std::string_view kind) const;

 private:
  std::vector<PluginRecord> records_;
  std::vector<std::string> warnings_;
};

// The directory beside the running binary where a build tree and an installed package keep plugins:
// <dir of ferry>/../lib/ferry/plugins.
std::filesystem::path default_plugin_directory();

}  // namespace ferry::plugin
