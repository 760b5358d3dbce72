#include "plugin/plugin_error.hpp"

#include <cstring>
#include <string_view>

namespace ferry::plugin {

PluginError PluginError::from(ferry_type_status code, const ferry_type_error& error) {
  const std::string_view message(error.message, strnlen(error.message, sizeof error.message));
  return PluginError{code, message.empty() ? "failed with status " + std::to_string(code) : std::string(message)};
}

}  // namespace ferry::plugin
