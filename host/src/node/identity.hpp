// Which node this is: node.id when configured, else an id kept in node.data_dir so that a restarted
// node is the same node to its peers (their pending messages then fail as "restarted", not as lost to a
// stranger). Without a usable data_dir the id is random for this run, and the log says so.
#pragma once

#include <string>

#include "config/config.hpp"

namespace ferry::node {

struct Identity {
  std::string id;      // UUID text
  std::string origin;  // how it was chosen, for the start-up log line
};

Identity node_identity(const config::Config& config);

}  // namespace ferry::node
