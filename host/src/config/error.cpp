#include "config/config.hpp"

namespace ferry::config {

std::string ConfigError::to_string() const {
  // An override has no line to point at: naming the --set key is what lets the user find it.
  if (file == override_source) return file + (key.empty() ? "" : " " + key) + ": " + message;
  std::string out = file;
  if (line != 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (!key.empty()) out += key + ": ";
  return out + message;
}

}  // namespace ferry::config
