// The files a node reads when it starts, beyond its configuration: the admin bearer token, the cluster
// secret and the TLS certificate, key and CA bundle. `ferry config check` (the unit's ExecStartPre, run as
// the service's user) reads them the same way, so a missing file or a wrong permission stops the service
// before it starts, with the key and the reason.
#pragma once

#include <vector>

#include "config/config.hpp"

namespace ferry::node {

void check_start_files(const config::Config& config, std::vector<config::ConfigError>& errors);

}  // namespace ferry::node
