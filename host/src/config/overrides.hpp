// Internal: applies `--set KEY=VALUE` overrides to a parsed file before it is read, so that overridden
// values go through exactly the same checks as written ones.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "config/diagnostics.hpp"

namespace ferry::config {

// KEY is "SECTION.KEY" for a known key, "transport.KEY" for a key of the transport plugin, or
// "sink.NAME.KEY" for a key of the [[sink]] named NAME. VALUE is a TOML value ("64", "[\"/a\", \"/b\"]",
// "\"text\""); if it does not parse as one, it is taken as a bare string, and so is any non-string value
// given to a string key (`tls.min_version=1.3`). Inserted values carry the source "--set", so errors about
// them print as "--set KEY: ...".
void apply_overrides(toml::table& root, const std::vector<std::string>& overrides, Diagnostics& diag);

}  // namespace ferry::config
