#include "stream/relative_path.hpp"

namespace ferry::stream {

std::string check_relative_path(std::string_view path) {
  const std::string quoted = "path '" + std::string(path) + "'";
  if (path.empty()) return "an empty path";
  if (path.front() == '/') return quoted + " is absolute";
  if (path.find('\0') != std::string_view::npos) return quoted + " contains a 00 byte";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view component = path.substr(start, end - start);
    if (component.empty()) return quoted + " has an empty component";
    if (component == "." || component == "..")
      return quoted + " has a '" + std::string(component) + "' component";
    start = end + 1;
  }
  return {};
}

}  // namespace ferry::stream
