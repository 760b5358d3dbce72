// ferry::sdk::relative_path_problem: the check every sink makes on a file's relative path before it stores
// anything under that name. Header-only.
//
// The host already refuses such paths from peers; a sink checks again because it is the last line before
// storage, and the conformance kit (ferry-sink-check) calls it directly with hostile names.
#ifndef FERRY_RELATIVE_PATH_HPP
#define FERRY_RELATIVE_PATH_HPP

#include <string_view>

namespace ferry::sdk {

// Why path cannot name a file inside a sink, or an empty view when it can. A usable path is relative,
// '/'-separated, and has no empty, "." or ".." component and no NUL byte.
inline std::string_view relative_path_problem(std::string_view path) {
  if (path.empty()) return "the path is empty";
  if (path.find('\0') != std::string_view::npos) return "the path contains a NUL byte";
  if (path.front() == '/') return "the path is absolute";
  for (size_t start = 0;;) {
    const size_t end = path.find('/', start);
    const std::string_view part = path.substr(start, end == std::string_view::npos ? end : end - start);
    if (part.empty()) return "the path has an empty component";
    if (part == "." || part == "..") return "the path has a '.' or '..' component";
    if (end == std::string_view::npos) return {};
    start = end + 1;
  }
}

}  // namespace ferry::sdk

#endif  // FERRY_RELATIVE_PATH_HPP
