// Drives the shipped null sink through the C ABI, as the node will.
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>

#include "plugin/catalog.hpp"
#include "plugin/sink_instance.hpp"

using ferry::plugin::Catalog;
using ferry::plugin::FileSpec;
using ferry::plugin::PluginError;
using ferry::plugin::SinkFile;
using ferry::plugin::SinkInstance;

namespace {

std::shared_ptr<SinkInstance> make_sink(const std::filesystem::path& directory, const std::string& plugin) {
  static const ferry::config::PluginValues no_values;
  const auto catalog = Catalog::scan({directory}, ferry::plugin::FilePolicy{false, 0});
  auto library = catalog.find("sink", plugin);
  REQUIRE(library != nullptr);
  auto created = SinkInstance::create(library, "test", no_values, nullptr);
  REQUIRE(std::holds_alternative<std::shared_ptr<SinkInstance>>(created));
  return std::move(std::get<0>(created));
}

std::unique_ptr<SinkFile> open(SinkInstance& sink, const std::string& path, uint64_t size) {
  auto opened = sink.open(FileSpec{.relative_path = path, .size = size, .digest = {}});
  REQUIRE(std::holds_alternative<std::unique_ptr<SinkFile>>(opened));
  return std::move(std::get<0>(opened));
}

const std::array<uint8_t, 10> ten_bytes{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

}  // namespace

TEST_CASE("null sink counts committed files and bytes, and aborted files", "[plugin][sink][null]") {
  auto sink = make_sink(FERRY_PLUGIN_OUTPUT_DIR, "null");

  auto first = open(*sink, "a/b.bin", 20);
  CHECK_FALSE(first->write(0, ten_bytes));
  CHECK_FALSE(first->write(10, ten_bytes));
  CHECK(sink->stats()->files_open == 1);
  CHECK_FALSE(first->commit());

  auto second = open(*sink, "c.bin", 10);
  CHECK_FALSE(second->write(0, ten_bytes));
  second->abort();

  { auto dropped = open(*sink, "d.bin", 10); }  // destroyed without commit: aborted

  const auto stats = sink->stats();
  REQUIRE(stats);
  CHECK(stats->files_committed == 1);
  CHECK(stats->bytes_committed == 20);
  CHECK(stats->files_aborted == 2);
  CHECK(stats->files_open == 0);
}

TEST_CASE("null sink holds the host to the contract", "[plugin][sink][null]") {
  auto sink = make_sink(FERRY_PLUGIN_OUTPUT_DIR, "null");

  SECTION("a chunk out of order") {
    auto file = open(*sink, "x", 20);
    const auto error = file->write(5, ten_bytes);
    REQUIRE(error);
    CHECK(error->code == FERRY_ERR_INVALID_ARGUMENT);
    CHECK(error->message == "null sink: x: chunk at offset 5, expected 0");
  }
  SECTION("more bytes than announced") {
    auto file = open(*sink, "x", 5);
    const auto error = file->write(0, ten_bytes);
    REQUIRE(error);
    CHECK_THAT(error->message, Catch::Contains("more data than the announced 5 bytes"));
  }
  SECTION("a commit before the last byte") {
    auto file = open(*sink, "x", 20);
    CHECK_FALSE(file->write(0, ten_bytes));
    const auto error = file->commit();
    REQUIRE(error);
    CHECK(error->message == "null sink: x: committed after 10 of 20 bytes");
    CHECK(sink->stats()->files_aborted == 1);
    CHECK(sink->stats()->files_committed == 0);
  }
  SECTION("use after commit is refused by the host, not passed to the plugin") {
    auto file = open(*sink, "x", 0);
    CHECK_FALSE(file->commit());
    const auto error = file->write(0, ten_bytes);
    REQUIRE(error);
    CHECK_THAT(error->message, Catch::Contains("already committed or aborted"));
  }
}

TEST_CASE("a sink written in C works through the same host code", "[plugin][sink]") {
  auto sink = make_sink(std::filesystem::path(FERRY_TEST_PLUGIN_ROOT) / "valid-c-sink", "c-sink");
  auto file = open(*sink, "c.bin", 10);
  CHECK_FALSE(file->write(0, ten_bytes));
  CHECK_FALSE(file->commit());
  CHECK(sink->stats()->bytes_committed == 10);
}

TEST_CASE("an open file keeps its sink alive and aborts into it", "[plugin][sink]") {
  auto sink = make_sink(FERRY_PLUGIN_OUTPUT_DIR, "null");
  auto file = open(*sink, "late.bin", 10);
  std::weak_ptr<SinkInstance> weak = sink;
  sink.reset();
  CHECK_FALSE(weak.expired());
  file.reset();
  CHECK(weak.expired());
}
