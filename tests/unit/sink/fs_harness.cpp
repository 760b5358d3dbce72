#include "fs_harness.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace ferry::test {

TempDirectory::TempDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ferry-sink-test-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempDirectory::~TempDirectory() {
  std::error_code ignored;
  // Tests make directories read-only; give them back so that they can be removed.
  for (auto it = std::filesystem::recursive_directory_iterator(path_, ignored);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ignored))
    if (it->is_directory(ignored) && !it->is_symlink(ignored))
      std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, ignored);
  std::filesystem::remove_all(path_, ignored);
}

config::PluginValues fs_values(const std::filesystem::path& root, const std::string& fsync) {
  config::PluginValues values;
  values.values.emplace("root", root.string());
  values.values.emplace("fsync", fsync);
  return values;
}

std::optional<std::vector<uint8_t>> read_file(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(path, error))) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

FsSinkUnderTest::FsSinkUnderTest(const std::string& fsync) {
  under_test.sink = require_sink("fs", fs_values(root, fsync));
  under_test.read_visible = [root = root](const std::string& path) { return read_file(root / path); };
  under_test.visible_files = [root = root] {
    std::vector<std::string> files;
    for (auto it = std::filesystem::recursive_directory_iterator(root); it != std::filesystem::recursive_directory_iterator();
         ++it) {
      if (it->path().filename() == ".ferry-tmp") {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files.push_back(std::filesystem::relative(it->path(), root).string());
    }
    return files;
  };
}

}  // namespace ferry::test
