// A running node: its plugins, its event loop and its sinks, from start to a clean stop on SIGTERM or
// SIGINT. The communication layer and streaming sessions attach here.
#pragma once

#include "config/config.hpp"

namespace ferry::node {

// Runs until a stop signal; returns the process exit status (see docs/operations.md).
int run_node(const config::Config& config);

}  // namespace ferry::node
