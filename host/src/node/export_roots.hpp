// The follower's export-roots check (stream.export_roots): a requested path is looked up below each root in
// turn (an absolute path must lie below one), and is refused when it is in none, does not exist, or
// leaves its root through "..", a symlink or an absolute path. What it stands for is listed like a path
// given to `ferry send` (source_files.hpp).
#pragma once

#include <string>
#include <vector>

#include "stream/session_types.hpp"

namespace ferry::node {

class ExportRoots : public stream::ExportResolver {
 public:
  explicit ExportRoots(std::vector<std::string> roots) : roots_(std::move(roots)) {}
  std::variant<std::vector<stream::SourceFile>, std::string> resolve(const std::string& requested) override;

 private:
  std::vector<std::string> roots_;
};

}  // namespace ferry::node
