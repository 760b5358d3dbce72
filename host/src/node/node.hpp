// A running node: its plugins, its event loop and its sinks, from start to a clean stop on SIGTERM or
// SIGINT, with reloads on SIGHUP. The communication layer and streaming sessions attach here.
#pragma once

#include <cstdint>
#include <functional>

#include "config/config.hpp"

namespace ferry::node {

// Reads the configuration again, as the node was started (same file, same overrides), for a reload.
using ConfigReader = std::function<config::LoadResult()>;

struct NodeOptions {
  ConfigReader reread;
  // `--burn-in RATE`: test messages per second to every peer, checked on receipt (burn_in.hpp); 0 = none.
  uint32_t burn_in_rate = 0;
};

// Runs until a stop signal, reloading on SIGHUP (docs/operations.md, "Reloading"); returns the process
// exit status.
int run_node(const config::Config& config, const NodeOptions& options);

}  // namespace ferry::node
