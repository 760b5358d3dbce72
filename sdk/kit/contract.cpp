#include "contract.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <thread>

#include "digest/sha256.hpp"

namespace ferry::sink_kit {
namespace {

constexpr size_t chunk_size = 1 << 20;

// Lowers the process's recorded peak resident set to the current one (Linux 4.0 and later).
void reset_peak_memory() { std::ofstream("/proc/self/clear_refs") << "5"; }

// A memory figure of this process from /proc/self/status ("VmHWM", the peak; "VmRSS", the current), in bytes.
uint64_t memory_figure(const std::string& name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(name + ":", 0) == 0) return std::stoull(line.substr(name.size() + 1)) * 1024;
  FAIL("no " << name << " in /proc/self/status");
  return 0;
}

// Says once per check that a sink without a reader is checked only in part.
void note_when_unreadable(const SinkUnderTest& under_test) {
  if (!under_test.find_visible) WARN("no reader for this sink: what it makes visible is not checked");
}

void check_visible(const SinkUnderTest& under_test, const std::string& path, std::span<const uint8_t> data) {
  if (!under_test.find_visible) return;
  INFO("file: " << path);
  const auto found = under_test.find_visible(path);
  CHECK(found.has_value());
  if (found) {
    CHECK(found->size == data.size());
    CHECK(*found == visible_file_of(data));
  }
}

void check_invisible(const SinkUnderTest& under_test, const std::string& path) {
  if (!under_test.find_visible) return;
  INFO("file: " << path);
  CHECK_FALSE(under_test.find_visible(path).has_value());
}

plugin::SinkStats require_stats(const SinkUnderTest& under_test) {
  const auto stats = under_test.sink->stats();
  REQUIRE(stats.has_value());
  return *stats;
}

// Nothing visible under any of the names, nor (when the sink can be listed) anywhere else.
void check_nothing_visible(const SinkUnderTest& under_test, const std::vector<std::string>& names) {
  for (const auto& name : names) check_invisible(under_test, name);
  if (under_test.visible_files) CHECK(under_test.visible_files().empty());
}

}  // namespace

void commit_makes_the_file_visible_at_once(SinkUnderTest& under_test) {
  const auto data = pattern_bytes(3 * 4096 + 17, 1);
  note_when_unreadable(under_test);
  auto file = require_open(*under_test.sink, file_spec("dir/atomic.bin", data.size()));
  check_nothing_visible(under_test, {"dir/atomic.bin"});
  REQUIRE_FALSE(file->write(0, std::span(data).first(4096)));
  check_nothing_visible(under_test, {"dir/atomic.bin"});
  REQUIRE_FALSE(file->write(4096, std::span(data).subspan(4096)));
  check_nothing_visible(under_test, {"dir/atomic.bin"});
  REQUIRE_FALSE(file->commit());
  check_visible(under_test, "dir/atomic.bin", data);
  if (under_test.visible_files) CHECK(under_test.visible_files() == std::vector<std::string>{"dir/atomic.bin"});
  const auto stats = require_stats(under_test);
  CHECK(stats.files_committed == 1);
  CHECK(stats.bytes_committed == data.size());
}

void abort_leaves_nothing(SinkUnderTest& under_test) {
  note_when_unreadable(under_test);
  const auto data = pattern_bytes(10000, 2);
  {
    auto file = require_open(*under_test.sink, file_spec("gone/aborted.bin", data.size()));
    REQUIRE_FALSE(file->write(0, data));
    file->abort();
  }
  {
    auto dropped = require_open(*under_test.sink, file_spec("gone/dropped.bin", data.size()));
    REQUIRE_FALSE(dropped->write(0, std::span(data).first(100)));
  }  // destroyed without commit: the host aborts it
  check_nothing_visible(under_test, {"gone/aborted.bin", "gone/dropped.bin"});
  CHECK(require_stats(under_test).files_aborted == 2);
  CHECK(require_stats(under_test).files_open == 0);
}

void incomplete_file_fails_to_commit_and_leaves_nothing(SinkUnderTest& under_test) {
  note_when_unreadable(under_test);
  const auto data = pattern_bytes(100, 3);
  auto file = require_open(*under_test.sink, file_spec("short.bin", 200));
  REQUIRE_FALSE(file->write(0, data));
  const auto error = file->commit();
  REQUIRE(error);
  CHECK_THAT(error->message, Catch::Contains("short.bin"));
  check_nothing_visible(under_test, {"short.bin"});

  auto overlong = require_open(*under_test.sink, file_spec("long.bin", 50));
  const auto too_much = overlong->write(0, data);
  REQUIRE(too_much);
  CHECK_THAT(too_much->message, Catch::Contains("long.bin"));
  overlong->abort();
  check_nothing_visible(under_test, {"short.bin", "long.bin"});
}

void hostile_names_are_refused(SinkUnderTest& under_test) {
  const std::vector<std::string> names{"..",       "../escape.bin", "a/../../escape.bin", "a/..",
                                       "/etc/x",   "",              "a//b",               "./a",
                                       "a/./b",    "trailing/",     std::string("nul\0byte", 8)};
  for (const auto& name : names) {
    INFO("name: \"" << name << "\"");
    auto opened = under_test.sink->open(file_spec(name, 1));
    REQUIRE(std::holds_alternative<plugin::PluginError>(opened));
    const auto& error = std::get<plugin::PluginError>(opened);
    CHECK_FALSE(error.message.empty());
    CHECK(error.code != FERRY_OK);
  }
  check_nothing_visible(under_test, {"escape.bin", "a/escape.bin", "etc/x", "a/b", "a"});
}

void odd_names_round_trip(SinkUnderTest& under_test) {
  note_when_unreadable(under_test);
  std::string deep;
  for (int level = 0; level < 40; ++level) deep += "level" + std::to_string(level) + "/";
  const std::vector<std::string> names{"données/ファイル ✓.txt", "with space/a b  c.bin", deep + "bottom.bin",
                                       std::string(255, 'n'),    "-leading-dash",        ".hidden",
                                       "semi;colon&amp'quote\"", "tab\there"};
  for (size_t i = 0; i < names.size(); ++i) {
    INFO("name: " << names[i]);
    const auto data = pattern_bytes(1000 + i, static_cast<uint32_t>(10 + i));
    require_store(*under_test.sink, file_spec(names[i], data.size()), data, 333);
    check_visible(under_test, names[i], data);
  }
  if (under_test.visible_files) CHECK(under_test.visible_files().size() == names.size());
}

void concurrent_files_stay_apart(SinkUnderTest& under_test) {
  note_when_unreadable(under_test);
  constexpr int threads = 8, files_per_thread = 12;
  std::vector<std::thread> workers;
  std::vector<std::string> failures(threads);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int f = 0; f < files_per_thread && failures[t].empty(); ++f) {
        const auto data = pattern_bytes(20000 + 97 * f, static_cast<uint32_t>(100 * t + f));
        auto opened = under_test.sink->open(
            file_spec("shared/t" + std::to_string(t) + "/f" + std::to_string(f) + ".bin", data.size()));
        if (auto* error = std::get_if<plugin::PluginError>(&opened)) {
          failures[t] = error->message;
          break;
        }
        auto& file = std::get<0>(opened);
        for (size_t offset = 0; offset < data.size() && failures[t].empty(); offset += 4096) {
          const auto piece = std::span(data).subspan(offset, std::min<size_t>(4096, data.size() - offset));
          if (auto error = file->write(offset, piece)) failures[t] = error->message;
        }
        if (auto error = failures[t].empty() ? file->commit() : std::nullopt) failures[t] = error->message;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  for (const auto& failure : failures) CHECK(failure.empty());
  for (int t = 0; t < threads; ++t)
    for (int f = 0; f < files_per_thread; ++f)
      check_visible(under_test, "shared/t" + std::to_string(t) + "/f" + std::to_string(f) + ".bin",
                    pattern_bytes(20000 + 97 * f, static_cast<uint32_t>(100 * t + f)));
  CHECK(require_stats(under_test).files_committed == threads * files_per_thread);
}

void large_file_in_bounded_memory(SinkUnderTest& under_test, uint64_t size, uint64_t memory_bound) {
  std::vector<uint8_t> zeros(chunk_size, 0);
  const auto data = pattern_bytes(chunk_size, 7);
  auto chunk_at = [&](uint64_t offset) -> std::span<const uint8_t> {
    const size_t length = static_cast<size_t>(std::min<uint64_t>(chunk_size, size - offset));
    const bool has_data = offset % (64 * chunk_size) == 0 || offset + length == size;
    return std::span<const uint8_t>(has_data ? data : zeros).first(length);
  };
  digest::Sha256 sha;
  for (uint64_t offset = 0; offset < size; offset += chunk_size) sha.update(chunk_at(offset));
  const digest::Sha256Digest expected = sha.finish();

  reset_peak_memory();
  const uint64_t before = memory_figure("VmRSS");
  auto spec = file_spec("big/sparse.bin", size);
  spec.digest = expected;
  auto file = require_open(*under_test.sink, spec);
  for (uint64_t offset = 0; offset < size; offset += chunk_size) {
    const auto error = file->write(offset, chunk_at(offset));
    if (error) FAIL("write at " << offset << ": " << error->message);
  }
  const auto error = file->commit();
  if (error) FAIL("commit: " << error->message);
  const uint64_t peak = memory_figure("VmHWM");
  INFO("resident before " << before << " bytes, peak while writing " << peak << " bytes");
  CHECK(peak < before + memory_bound);
  CHECK(require_stats(under_test).bytes_committed == size);
  if (under_test.find_visible)
    CHECK(under_test.find_visible("big/sparse.bin") == VisibleFile{size, {expected.begin(), expected.end()}});
}

}  // namespace ferry::sink_kit
