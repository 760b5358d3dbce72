// A sink as the conformance checks see it: an instance driven through the C ABI the way `ferry node`
// drives it, and what a reader of the sink can see of the files it made visible.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "plugin/sink_instance.hpp"

namespace ferry::sink_kit {

// A file as a reader finds it: its size and the SHA-256 of its bytes.
struct VisibleFile {
  uint64_t size = 0;
  std::vector<uint8_t> sha256;
  bool operator==(const VisibleFile&) const = default;
};

// What a reader must find once data has been committed.
VisibleFile visible_file_of(std::span<const uint8_t> data);

struct SinkUnderTest {
  std::shared_ptr<plugin::SinkInstance> sink;
  // What a reader finds at a relative path; nullopt when nothing is visible there. Left unset for a sink
  // that keeps nothing a reader could see (such as null): the checks then skip what needs a reader and
  // say so in a warning.
  std::function<std::optional<VisibleFile>(const std::string& path)> find_visible;
  // Every file a reader can see, as relative paths. Left unset when the sink cannot be listed: the checks
  // then look only at the names they used.
  std::function<std::vector<std::string>()> visible_files;
};

std::unique_ptr<plugin::SinkFile> require_open(plugin::SinkInstance& sink, const plugin::FileSpec& spec);
// Opens, writes data in chunks of chunk bytes and commits; REQUIREs that every step succeeds.
void require_store(plugin::SinkInstance& sink, const plugin::FileSpec& spec, const std::vector<uint8_t>& data,
                   size_t chunk = 4096);

// Bytes that differ for each seed and each position, so that misplaced chunks show.
std::vector<uint8_t> pattern_bytes(size_t length, uint32_t seed);

plugin::FileSpec file_spec(std::string path, uint64_t size);

}  // namespace ferry::sink_kit
