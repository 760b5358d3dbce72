// Which keys differ between the configuration a node runs with and the one a reload read, and which of
// them a reload applies. A reload applies node.plugin_dirs and the [protocol] keys, which only decide what
// new connections negotiate; every other key shapes state that lives connections, sinks or the listener
// already hold, so a change there takes a restart and the reload says so.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace ferry::node {

struct ConfigChanges {
  std::vector<std::string> applied;      // keys a reload applies, e.g. "protocol.max_version"
  std::vector<std::string> not_applied;  // keys that take a restart, e.g. "communication.ack_threshold",
                                         // "transport.port", "sink.archive"
};

ConfigChanges config_changes(const config::Config& running, const config::Config& reloaded);

}  // namespace ferry::node
