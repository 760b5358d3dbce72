// The sink that ferry-sink-check checks: a plugin shared object named on the command line, configured with
// the --set values of its table, and created afresh for every check, with an empty scratch directory that
// the values may name as {scratch}. What it made visible is read back through the sink's own lookup hook.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sink_under_test.hpp"

namespace ferry::sink_kit {

struct KitOptions {
  std::filesystem::path plugin;
  std::vector<std::string> settings;  // "KEY=VALUE"; {scratch} in VALUE is the check's scratch directory
  bool lookup = true;                 // false: the sink keeps nothing a reader could find (like null)
  uint64_t large_size = 256ull << 20;
  uint64_t memory_bound = 32ull << 20;
};

// Loads the plugin and checks the settings against the keys it declares, once, before any check runs.
// Returns what is wrong, in a sentence, or nullopt when the checks can run.
std::optional<std::string> start_kit(const KitOptions& options);
const KitOptions& kit_options();

// One fresh instance of the sink under check. REQUIREs that it starts.
class PluginSink {
 public:
  PluginSink();
  ~PluginSink();
  PluginSink(const PluginSink&) = delete;
  PluginSink& operator=(const PluginSink&) = delete;

  SinkUnderTest under_test;

 private:
  std::filesystem::path scratch_;
};

}  // namespace ferry::sink_kit
