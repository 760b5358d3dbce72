// A failure reported by a plugin hook: its status code and its own sentence.
#pragma once

#include <ferry/abi.h>

#include <string>

namespace ferry::plugin {

struct PluginError {
  ferry_type_status code = FERRY_OK;
  std::string message;

  static PluginError from(ferry_type_status code, const ferry_type_error& error);
};

// A zeroed error for a hook to fill.
inline ferry_type_error blank_error() { return ferry_type_error{}; }

}  // namespace ferry::plugin
