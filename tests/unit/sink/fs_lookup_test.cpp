// lookup: what the fs sink reports about files it holds, so that a re-run can skip them.
#include <catch2/catch.hpp>

#include <sys/xattr.h>

#include <fstream>

#include "digest/sha256.hpp"
#include "fs_harness.hpp"

using namespace ferry::test;
using ferry::plugin::HeldFile;
using ferry::plugin::PluginError;

namespace {

std::optional<HeldFile> require_lookup(ferry::plugin::SinkInstance& sink, const std::string& path) {
  auto found = sink.lookup(path);
  if (const auto* error = std::get_if<PluginError>(&found)) FAIL("lookup " << path << ": " << error->message);
  return std::get<0>(found);
}

std::vector<uint8_t> sha256(const std::vector<uint8_t>& data) {
  ferry::digest::Sha256 sha;
  sha.update(data);
  const auto digest = sha.finish();
  return {digest.begin(), digest.end()};
}

}  // namespace

TEST_CASE("fs sink: lookup reports the size and SHA-256 of a committed file", "[sink][fs][lookup]") {
  FsSinkUnderTest fs;
  auto& sink = *fs.under_test.sink;
  CHECK_FALSE(require_lookup(sink, "data/file.bin"));

  const auto data = pattern_bytes(70000, 1);
  require_store(sink, file_spec("data/file.bin", data.size()), data);
  auto held = require_lookup(sink, "data/file.bin");
  REQUIRE(held);
  CHECK(held->size == data.size());
  CHECK(held->digest == sha256(data));

  SECTION("the digest is recorded with the file") {
    char record[128] = {};
    const ssize_t length =
        ::getxattr((fs.root / "data/file.bin").c_str(), "user.ferry.sha256", record, sizeof record);
    if (length < 0) {
      WARN("this filesystem keeps no user attributes; lookup reads the file instead");
    } else {
      CHECK_THAT(std::string(record, static_cast<size_t>(length)),
                 Catch::StartsWith(ferry::digest::to_hex(sha256(data)) + " 70000 "));
    }
  }
  SECTION("a file changed by hand is read again") {
    const auto other = pattern_bytes(500, 2);
    std::ofstream(fs.root / "data/file.bin", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(other.data()), static_cast<std::streamsize>(other.size()));
    held = require_lookup(sink, "data/file.bin");
    REQUIRE(held);
    CHECK(held->size == other.size());
    CHECK(held->digest == sha256(other));
  }
  SECTION("a file copied in by hand is found too") {
    std::ofstream(fs.root / "by-hand.txt") << "abc";
    held = require_lookup(sink, "by-hand.txt");
    REQUIRE(held);
    CHECK(held->size == 3);
    CHECK(ferry::digest::to_hex(held->digest) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}

TEST_CASE("fs sink: lookup finds no file behind a link, a directory or a bad name", "[sink][fs][lookup]") {
  FsSinkUnderTest fs;
  auto& sink = *fs.under_test.sink;
  std::ofstream(fs.scratch.path() / "outside.bin") << "secret";
  std::filesystem::create_symlink(fs.scratch.path() / "outside.bin", fs.root / "link.bin");
  std::filesystem::create_directory_symlink(fs.scratch.path(), fs.root / "linked-dir");
  std::filesystem::create_directories(fs.root / "a-dir");
  CHECK_FALSE(require_lookup(sink, "link.bin"));
  CHECK_FALSE(require_lookup(sink, "a-dir"));
  CHECK_FALSE(require_lookup(sink, "missing/deeper/file"));

  auto through_link = sink.lookup("linked-dir/outside.bin");
  REQUIRE(std::holds_alternative<PluginError>(through_link));
  CHECK_THAT(std::get<PluginError>(through_link).message, Catch::Contains("linked-dir is a symbolic link"));
  auto upward = sink.lookup("../outside.bin");
  REQUIRE(std::holds_alternative<PluginError>(upward));
  CHECK_THAT(std::get<PluginError>(upward).message, Catch::Contains("refused"));
}

TEST_CASE("fs sink: skipped zero chunks read back as zeros", "[sink][fs][lookup]") {
  FsSinkUnderTest fs;
  std::vector<uint8_t> data(4 << 20, 0);
  const auto block = pattern_bytes(4096, 9);
  std::copy(block.begin(), block.end(), data.begin() + (2 << 20));
  require_store(*fs.under_test.sink, file_spec("sparse.bin", data.size()), data, 1 << 20);
  CHECK(read_file(fs.root / "sparse.bin") == data);
  // Without the recorded digest, lookup reads the bytes on disk.
  ::removexattr((fs.root / "sparse.bin").c_str(), "user.ferry.sha256");
  auto held = require_lookup(*fs.under_test.sink, "sparse.bin");
  REQUIRE(held);
  CHECK(held->size == data.size());
  CHECK(held->digest == sha256(data));
}
