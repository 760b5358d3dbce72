// Validation of a plugin descriptor, separate from loading so that it can be tested with descriptors
// built in memory.
#pragma once

#include <ferry/abi.h>

#include <string>

#include "plugin/kind.hpp"

namespace ferry::plugin {

struct DescriptorCheck {
  std::string reason;  // empty when the descriptor is acceptable
  const KindInfo* kind = nullptr;
  size_t table_size = 0;  // as the plugin declares it
  // What could be read before a refusal, for reports; empty when unknown.
  std::string kind_name, name, version, abi;
};

DescriptorCheck check_descriptor(const ferry_type_plugin_descriptor* descriptor);

// [a-z0-9][a-z0-9._-]*, at most 64 bytes: plugin, sink and feature names share these rules.
bool is_valid_name(std::string_view name);

}  // namespace ferry::plugin
