#include "node/export_roots.hpp"

#include <filesystem>
#include <system_error>

#include "node/source_files.hpp"

namespace ferry::node {

namespace fs = std::filesystem;

namespace {

bool below(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p)
    if (p == path.end() || *p != *r) return false;
  return true;
}

}  // namespace

std::variant<std::vector<stream::SourceFile>, std::string> ExportRoots::resolve(const std::string& requested) {
  if (roots_.empty()) return "'" + requested + "' is not exported: this node has no stream.export_roots";
  const fs::path wanted(requested);
  for (const std::string& root_text : roots_) {
    std::error_code error;
    const fs::path root = fs::canonical(root_text, error);
    if (error) continue;
    const fs::path candidate = wanted.is_absolute() ? wanted : root / wanted;
    const fs::path real = fs::canonical(candidate, error);
    if (error || !below(real, root)) continue;
    std::vector<stream::SourceFile> files;
    if (std::string failure = list_source_files(real, files); !failure.empty()) return failure;
    return files;
  }
  return "'" + requested + "' is not in any of this node's stream.export_roots, or does not exist there";
}

}  // namespace ferry::node
