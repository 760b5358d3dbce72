#include "plugin/plugin_metrics.hpp"

namespace ferry::plugin {

metrics::Counter& plugin_loads(const std::string& kind) {
  return metrics::registry().counter("plugin_loads", "Plugin files loaded, by plugin kind", {{"kind", kind}});
}

metrics::Counter& plugin_refusals() {
  return metrics::registry().counter("plugin_refusals", "Plugin files refused (the log says why)");
}

}  // namespace ferry::plugin
