// A sink loaded from its shared object the way `ferry node` loads it (catalog scan, SinkInstance through
// the C ABI), and what a test can see of the files it made visible.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/config.hpp"
#include "plugin/plugin_error.hpp"
#include "plugin/sink_instance.hpp"

namespace ferry::test {

struct SinkUnderTest {
  std::shared_ptr<plugin::SinkInstance> sink;
  // The bytes of the committed file at a relative path; nullopt when a reader sees nothing there.
  std::function<std::optional<std::vector<uint8_t>>(const std::string& path)> read_visible;
  // Every file a reader of the sink can see, as relative paths.
  std::function<std::vector<std::string>()> visible_files;
};

// Creates an instance of the sink plugin named plugin from FERRY_PLUGIN_OUTPUT_DIR.
std::variant<std::shared_ptr<plugin::SinkInstance>, plugin::PluginError> load_sink(const std::string& plugin,
                                                                                   const config::PluginValues& values);
std::shared_ptr<plugin::SinkInstance> require_sink(const std::string& plugin, const config::PluginValues& values);

std::unique_ptr<plugin::SinkFile> require_open(plugin::SinkInstance& sink, const plugin::FileSpec& spec);
// Opens, writes data in chunks of chunk bytes and commits; REQUIREs that every step succeeds.
void require_store(plugin::SinkInstance& sink, const plugin::FileSpec& spec, const std::vector<uint8_t>& data,
                   size_t chunk = 4096);

// Bytes that differ for each seed and each position, so that misplaced chunks show.
std::vector<uint8_t> pattern_bytes(size_t length, uint32_t seed);

plugin::FileSpec file_spec(std::string path, uint64_t size);

}  // namespace ferry::test
