// The plugin scan's counters (docs/operations.md, "Metrics").
#pragma once

#include <string>

#include "metrics/registry.hpp"

namespace ferry::plugin {

metrics::Counter& plugin_loads(const std::string& kind);
metrics::Counter& plugin_refusals();

}  // namespace ferry::plugin
