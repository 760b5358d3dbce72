// An fs sink in a fresh temporary root, seen the way a reader of the root sees it.
#pragma once

#include <filesystem>

#include <variant>

#include "config/config.hpp"
#include "plugin/plugin_error.hpp"
#include "sink_under_test.hpp"

namespace ferry::test {

using namespace ferry::sink_kit;

// Creates an instance of the sink plugin named plugin from FERRY_PLUGIN_OUTPUT_DIR.
std::variant<std::shared_ptr<plugin::SinkInstance>, plugin::PluginError> load_sink(const std::string& plugin,
                                                                                   const config::PluginValues& values);
std::shared_ptr<plugin::SinkInstance> require_sink(const std::string& plugin, const config::PluginValues& values);

class TempDirectory {
 public:
  TempDirectory();
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

config::PluginValues fs_values(const std::filesystem::path& root, const std::string& fsync = "none");

// Reads the file at root/path when it is a regular file; nullopt otherwise.
std::optional<std::vector<uint8_t>> read_file(const std::filesystem::path& path);

struct FsSinkUnderTest {
  TempDirectory scratch;
  std::filesystem::path root = scratch.path() / "root";
  SinkUnderTest under_test;

  explicit FsSinkUnderTest(const std::string& fsync = "none");
};

}  // namespace ferry::test
