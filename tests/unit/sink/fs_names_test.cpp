// How the fs sink resolves names below its root: what it refuses and why, and that no name reaches outside.
#include <catch2/catch.hpp>

#include <fstream>

#include "fs_harness.hpp"

using namespace ferry::test;
using ferry::plugin::PluginError;

namespace {

std::string refusal(ferry::plugin::SinkInstance& sink, const std::string& path) {
  auto opened = sink.open(file_spec(path, 4));
  REQUIRE(std::holds_alternative<PluginError>(opened));
  return std::get<PluginError>(opened).message;
}

}  // namespace

TEST_CASE("fs sink: refusals say what is wrong with the name", "[sink][fs][names]") {
  FsSinkUnderTest fs;
  auto& sink = *fs.under_test.sink;
  CHECK(refusal(sink, "a/../../x") == "fs sink: a/../../x: refused: a \"..\" component would leave the sink's root");
  CHECK(refusal(sink, "/etc/passwd") ==
        "fs sink: /etc/passwd: refused: an absolute path; paths are relative to the sink's root");
  CHECK(refusal(sink, std::string("a\0/../b", 7)) == "fs sink: a\\x00/../b: refused: the path contains a NUL byte");
  CHECK(refusal(sink, "a//b") == "fs sink: a//b: refused: an empty path component (\"//\" or a trailing \"/\")");
  CHECK(refusal(sink, ".ferry-tmp/x") == "fs sink: .ferry-tmp/x: refused: \".ferry-tmp\" is the sink's temporary directory");
  CHECK(refusal(sink, ".ferry-tmp") == "fs sink: .ferry-tmp: refused: \".ferry-tmp\" is the sink's temporary directory");
}

TEST_CASE("fs sink: a symbolic link below the root is never followed", "[sink][fs][names]") {
  FsSinkUnderTest fs;
  const auto outside = fs.scratch.path() / "outside";
  std::filesystem::create_directories(outside);
  std::filesystem::create_directory_symlink(outside, fs.root / "escape");
  std::filesystem::create_directories(fs.root / "real/inner");
  std::filesystem::create_directory_symlink("../..", fs.root / "real/inner/up");

  CHECK(refusal(*fs.under_test.sink, "escape/x.bin") ==
        "fs sink: escape/x.bin: refused: escape is a symbolic link; the fs sink never follows links below its root");
  CHECK_THAT(refusal(*fs.under_test.sink, "real/inner/up/x.bin"),
             Catch::Contains("real/inner/up is a symbolic link"));
  CHECK(std::filesystem::is_empty(outside));

  SECTION("a link swapped in after open is not followed at commit either") {
    const auto data = pattern_bytes(4, 1);
    auto file = require_open(*fs.under_test.sink, file_spec("later/x.bin", data.size()));
    REQUIRE_FALSE(file->write(0, data));
    std::filesystem::create_directory_symlink(outside, fs.root / "later");
    const auto error = file->commit();
    REQUIRE(error);
    CHECK_THAT(error->message, Catch::Contains("later is a symbolic link"));
    CHECK(std::filesystem::is_empty(outside));
  }
  SECTION("a link in the file's own place is replaced, not written through") {
    const auto target = outside / "victim";
    std::ofstream(target) << "keep";
    std::filesystem::create_symlink(target, fs.root / "file-link");
    const auto data = pattern_bytes(4, 2);
    require_store(*fs.under_test.sink, file_spec("file-link", data.size()), data);
    CHECK(read_file(target) == std::vector<uint8_t>{'k', 'e', 'e', 'p'});
    CHECK(read_file(fs.root / "file-link") == data);
  }
}

TEST_CASE("fs sink: a file where a directory is needed, or a directory where the file goes", "[sink][fs][names]") {
  FsSinkUnderTest fs;
  std::ofstream(fs.root / "plain") << "x";
  std::filesystem::create_directories(fs.root / "taken/dir");
  CHECK(refusal(*fs.under_test.sink, "plain/x.bin") == "fs sink: plain/x.bin: plain exists and is not a directory");
  CHECK(refusal(*fs.under_test.sink, "taken/dir") == "fs sink: taken/dir: refused: a directory of that name exists");
}

TEST_CASE("fs sink: parent directories are created on commit, not before", "[sink][fs][names]") {
  FsSinkUnderTest fs;
  const auto data = pattern_bytes(10, 3);
  auto file = require_open(*fs.under_test.sink, file_spec("new/deeper/file.bin", data.size()));
  REQUIRE_FALSE(file->write(0, data));
  CHECK_FALSE(std::filesystem::exists(fs.root / "new"));
  SECTION("commit creates them") {
    REQUIRE_FALSE(file->commit());
    CHECK(read_file(fs.root / "new/deeper/file.bin") == data);
  }
  SECTION("abort never made them") {
    file->abort();
    CHECK_FALSE(std::filesystem::exists(fs.root / "new"));
  }
}
