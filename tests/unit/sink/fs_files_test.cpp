// What the fs sink does with a file's attributes and its temporary files, and how it checks its keys.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <array>
#include <fstream>

#include "digest/sha256.hpp"
#include "fs_harness.hpp"

using namespace ferry::test;
using ferry::plugin::PluginError;

namespace {

struct stat stat_of(const std::filesystem::path& path) {
  struct stat status {};
  REQUIRE(::stat(path.c_str(), &status) == 0);
  return status;
}

int64_t mtime_ns(const struct stat& status) {
  return static_cast<int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec;
}

std::string start_error(const ferry::config::PluginValues& values) {
  auto created = load_sink("fs", values);
  REQUIRE(std::holds_alternative<PluginError>(created));
  return std::get<PluginError>(created).message;
}

}  // namespace

TEST_CASE("fs sink: mode and modification time are kept", "[sink][fs][files]") {
  FsSinkUnderTest fs;
  const auto data = pattern_bytes(100, 1);
  struct Case {
    std::string name;
    uint32_t mode;
    int64_t mtime_ns;
    uint32_t expected_mode;
  };
  const std::vector<Case> cases{
      {"plain.txt", 0640, 1'700'000'000'123'456'789, 0640},
      {"script.sh", 0755, 1'600'000'000'000'000'001, 0755},
      {"read-only", 0444, 86'400'000'000'000, 0444},
      {"before-1970", 0600, -1'500'000'000, 0600},
      {"setuid-dropped", 04755, 1'000'000'000'000'000'000, 0755},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto spec = file_spec(c.name, data.size());
    spec.mode = c.mode;
    spec.mtime_ns = c.mtime_ns;
    require_store(*fs.under_test.sink, spec, data);
    const struct stat status = stat_of(fs.root / c.name);
    CHECK((status.st_mode & 07777) == c.expected_mode);
    CHECK(mtime_ns(status) == c.mtime_ns);
  }
}

TEST_CASE("fs sink: a file in progress lives only in the temporary directory", "[sink][fs][files]") {
  FsSinkUnderTest fs;
  const auto data = pattern_bytes(5000, 2);
  auto file = require_open(*fs.under_test.sink, file_spec("visible-later.bin", data.size()));
  REQUIRE_FALSE(file->write(0, data));
  std::vector<std::filesystem::path> staged;
  for (const auto& entry : std::filesystem::directory_iterator(fs.root / ".ferry-tmp")) staged.push_back(entry.path());
  REQUIRE(staged.size() == 1);
  CHECK(read_file(staged[0]) == data);
  CHECK((stat_of(fs.root / ".ferry-tmp").st_mode & 0777) == 0700);
  REQUIRE_FALSE(file->commit());
  CHECK_FALSE(std::filesystem::exists(staged[0]));
  CHECK(read_file(fs.root / "visible-later.bin") == data);
}

TEST_CASE("fs sink: every fsync policy commits, and an empty file too", "[sink][fs][files]") {
  for (const char* policy : {"none", "file", "file+dir"}) {
    INFO(policy);
    FsSinkUnderTest fs(policy);
    const auto data = pattern_bytes(3000, 3);
    require_store(*fs.under_test.sink, file_spec("a/b/c.bin", data.size()), data);
    require_store(*fs.under_test.sink, file_spec("a/empty", 0), {});
    CHECK(read_file(fs.root / "a/b/c.bin") == data);
    CHECK(read_file(fs.root / "a/empty") == std::vector<uint8_t>{});
  }
}

TEST_CASE("fs sink: a digest that does not match fails the commit", "[sink][fs][files]") {
  FsSinkUnderTest fs;
  const auto data = pattern_bytes(3000, 4);
  ferry::digest::Sha256 sha;
  sha.update(data);
  const auto right = sha.finish();
  auto wrong = right;
  wrong[0] ^= 1;

  auto spec = file_spec("checked.bin", data.size());
  spec.digest = wrong;
  auto file = require_open(*fs.under_test.sink, spec);
  REQUIRE_FALSE(file->write(0, data));
  const auto error = file->commit();
  REQUIRE(error);
  CHECK(error->code == FERRY_ERR_PROTOCOL);
  CHECK(error->message == "fs sink: checked.bin: the received bytes have SHA-256 " + ferry::digest::to_hex(right) +
                              ", the sender announced " + ferry::digest::to_hex(wrong));
  CHECK(fs.under_test.visible_files().empty());
  CHECK(std::filesystem::is_empty(fs.root / ".ferry-tmp"));

  spec.digest = right;
  require_store(*fs.under_test.sink, spec, data);
  CHECK(read_file(fs.root / "checked.bin") == data);

  const std::array<uint8_t, 3> short_digest{1, 2, 3};
  spec.digest = short_digest;
  auto opened = fs.under_test.sink->open(spec);
  REQUIRE(std::holds_alternative<PluginError>(opened));
  CHECK(std::get<PluginError>(opened).message == "fs sink: checked.bin: expected a 32-byte SHA-256 digest, got 3 bytes");
}

TEST_CASE("fs sink: leftover temporary files are deleted when a sink starts", "[sink][fs][files]") {
  TempDirectory scratch;
  const auto root = scratch.path() / "root";
  std::filesystem::create_directories(root / ".ferry-tmp");
  std::ofstream(root / ".ferry-tmp/123-0.part") << "half a file";
  std::ofstream(root / ".ferry-tmp/other") << "x";
  std::ofstream(root / "kept.txt") << "committed earlier";
  auto sink = require_sink("fs", fs_values(root));
  CHECK(std::filesystem::is_empty(root / ".ferry-tmp"));
  CHECK(std::filesystem::exists(root / "kept.txt"));
}

TEST_CASE("fs sink: two sinks cannot share a root", "[sink][fs][files]") {
  FsSinkUnderTest fs;
  const std::string error = start_error(fs_values(fs.root));
  CHECK(error == "fs sink: " + (fs.root / ".ferry-tmp").string() +
                     ": is in use by another fs sink (in this or another process); two sinks cannot share a root");
  SECTION("a sink on another root starts") {
    auto values = fs_values(fs.scratch.path() / "other-root");
    auto second = require_sink("fs", values);
    CHECK(second != nullptr);
  }
}

TEST_CASE("fs sink: its keys are checked when it starts", "[sink][fs][config]") {
  TempDirectory scratch;
  CHECK(start_error(fs_values("relative/dir")) == "fs sink: root: expected an absolute path, got \"relative/dir\"");
  CHECK(start_error(fs_values(scratch.path(), "always")) ==
        "fs sink: fsync: expected one of \"none\", \"file\", \"file+dir\", got \"always\"");
  auto values = fs_values(scratch.path());
  values.values["temp_dir"] = std::string("a/b");
  CHECK(start_error(values) == "fs sink: temp_dir: expected one directory name (no \"/\"), got \"a/b\"");
  values.values["temp_dir"] = std::string("..");
  CHECK_THAT(start_error(values), Catch::Contains("temp_dir: expected one directory name"));

  values.values["temp_dir"] = std::string("incoming.tmp");
  auto sink = require_sink("fs", values);
  CHECK(std::filesystem::is_directory(scratch.path() / "incoming.tmp"));
  CHECK_FALSE(std::filesystem::exists(scratch.path() / ".ferry-tmp"));
}

TEST_CASE("fs sink: a root that cannot be created names it", "[sink][fs][config]") {
  TempDirectory scratch;
  std::ofstream(scratch.path() / "a-file") << "x";
  CHECK(start_error(fs_values(scratch.path() / "a-file/root")) ==
        "fs sink: " + (scratch.path() / "a-file/root").string() +
            ": cannot create the sink's root directory: Not a directory");
}
