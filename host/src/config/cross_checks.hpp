// Internal: rules that span several keys (TLS needs its files, the default sink must exist, ...) and the
// warnings about risky but valid setups. Runs after every key was read on its own.
#pragma once

#include "config/config.hpp"
#include "config/diagnostics.hpp"

namespace ferry::config {

// May fill in values that depend on others: stream.default_sink defaults to the first sink.
void cross_check(Config& config, Diagnostics& diag);

}  // namespace ferry::config
