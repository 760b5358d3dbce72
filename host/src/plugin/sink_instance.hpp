// A sink created from a loaded sink plugin, driven through the C ABI. Files are RAII handles: a handle
// destroyed without commit aborts, so a failure anywhere in the host leaves nothing visible.
//
// Thread safety: a SinkInstance may open files from several threads; one SinkFile is used by one thread
// at a time (the sink contract). An open file keeps its instance alive, so the plugin never sees a file
// outlive the sink that opened it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "config/config.hpp"
#include "plugin/instance_context.hpp"
#include "plugin/plugin_error.hpp"

namespace ferry::plugin {

struct FileSpec {
  std::string relative_path;
  uint64_t size = 0;
  uint32_t mode = 0644;
  int64_t mtime_ns = 0;
  std::span<const uint8_t> digest;
};

// A file the sink already holds, so that a transfer can skip it when size and digest match.
struct HeldFile {
  uint64_t size = 0;
  std::vector<uint8_t> digest;  // SHA-256
};

struct SinkStats {
  uint64_t files_committed = 0, files_aborted = 0, bytes_committed = 0, files_open = 0;
};

class SinkInstance;

class SinkFile {
 public:
  SinkFile(std::shared_ptr<const SinkInstance> owner, void* handle);
  ~SinkFile();
  SinkFile(const SinkFile&) = delete;
  SinkFile& operator=(const SinkFile&) = delete;

  std::optional<PluginError> write(uint64_t offset, std::span<const uint8_t> data);
  // Releases the handle whatever the outcome; the file is visible only when this returns nullopt.
  std::optional<PluginError> commit();
  void abort();

 private:
  std::shared_ptr<const SinkInstance> owner_;
  void* handle_;
};

class SinkInstance : public std::enable_shared_from_this<SinkInstance> {
 public:
  // Creates the instance named instance_name from library with its validated configuration values.
  static std::variant<std::shared_ptr<SinkInstance>, PluginError> create(std::shared_ptr<Library> library,
                                                                         const std::string& instance_name,
                                                                         const config::PluginValues& values,
                                                                         runtime::EventLoop* loop);
  ~SinkInstance();
  SinkInstance(const SinkInstance&) = delete;
  SinkInstance& operator=(const SinkInstance&) = delete;

  const std::string& name() const { return name_; }
  std::variant<std::unique_ptr<SinkFile>, PluginError> open(const FileSpec& file);
  // nullopt when the sink holds no file at relative_path, or cannot tell (it has no lookup hook).
  std::variant<std::optional<HeldFile>, PluginError> lookup(const std::string& relative_path) const;
  std::optional<SinkStats> stats() const;

 private:
  friend class SinkFile;
  SinkInstance(std::unique_ptr<InstanceContext> context, std::string name);

  // Declared first so it is destroyed last: it keeps the library loaded while the instance goes away.
  std::unique_ptr<InstanceContext> context_;
  std::string name_;
  const ferry_type_sink_vtable& table_;
  void* instance_ = nullptr;
};

}  // namespace ferry::plugin
