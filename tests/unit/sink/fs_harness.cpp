#include "fs_harness.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "digest/sha256.hpp"
#include "plugin/catalog.hpp"

namespace ferry::test {

std::variant<std::shared_ptr<plugin::SinkInstance>, plugin::PluginError> load_sink(const std::string& name,
                                                                                   const config::PluginValues& values) {
  const auto catalog = plugin::Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, plugin::FilePolicy{false, 0});
  auto library = catalog.find("sink", name);
  REQUIRE(library != nullptr);
  return plugin::SinkInstance::create(library, "test", values, nullptr);
}

std::shared_ptr<plugin::SinkInstance> require_sink(const std::string& name, const config::PluginValues& values) {
  auto created = load_sink(name, values);
  if (const auto* error = std::get_if<plugin::PluginError>(&created)) FAIL("sink did not start: " << error->message);
  return std::move(std::get<0>(created));
}

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
  std::vector<uint8_t> bytes(std::filesystem::file_size(path));
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(static_cast<size_t>(in.gcount()) == bytes.size());
  return bytes;
}

namespace {

// Size and SHA-256 of a file read in pieces: the large-file check commits a GiB, which is not read whole.
std::optional<VisibleFile> visible_file_at(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(path, error))) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::vector<char> piece(1 << 20);
  digest::Sha256 sha;
  uint64_t size = 0;
  while (in.read(piece.data(), static_cast<std::streamsize>(piece.size())) || in.gcount() > 0) {
    const auto got = static_cast<size_t>(in.gcount());
    sha.update({reinterpret_cast<const uint8_t*>(piece.data()), got});
    size += got;
  }
  const auto sum = sha.finish();
  return VisibleFile{size, std::vector<uint8_t>(sum.begin(), sum.end())};
}

}  // namespace

FsSinkUnderTest::FsSinkUnderTest(const std::string& fsync) {
  under_test.sink = require_sink("fs", fs_values(root, fsync));
  // Read from the disk rather than through the sink's lookup, so that the bytes a reader of the root sees
  // are what is checked.
  under_test.find_visible = [root = root](const std::string& path) { return visible_file_at(root / path); };
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
