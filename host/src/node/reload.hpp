// A reload (SIGHUP): the configuration is read again, the plugin directories are scanned again, and new
// connections negotiate with the codecs found; or the reload is refused, with the reason, and nothing
// changes. A reload is refused by an invalid configuration, by a plugin file that the scan refuses and
// that the running set did not already refuse (a broken plugin dropped in), by a codec that cannot start
// or contradicts another's features, and by a set with no codec at all.
//
// Nothing here touches live connections: each keeps the codec instance it negotiated with, and that
// instance keeps its library loaded, so a codec removed by a reload is unloaded once its last connection
// has closed.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "config/config.hpp"
#include "node/communication_setup.hpp"
#include "plugin/catalog.hpp"

namespace ferry::runtime {
class EventLoop;
}

namespace ferry::node {

// What the node runs with now: the configuration, the scan, and what new connections negotiate with.
struct RunningSet {
  config::Config config;
  plugin::Catalog catalog;
  ProtocolSetup protocol;
};

struct Reload {
  RunningSet next;
  std::vector<std::string> loaded;       // plugins this scan loaded that the running set did not have
  std::vector<std::string> changes;      // what new connections see differently, one sentence each
  std::vector<std::string> not_applied;  // keys that changed in the file but take a restart
};

// The new set, or the sentence saying why the reload is refused. loop may be null (tests).
std::variant<Reload, std::string> prepare_reload(const RunningSet& running, const config::LoadResult& reread,
                                                 const plugin::FilePolicy& policy, runtime::EventLoop* loop);

// "codec-1.0 (1.0), codec-1.1 (1.1)": the codecs new connections are offered, for logs.
std::string describe_codecs(const ProtocolSetup& protocol);

}  // namespace ferry::node
