// ferry C++ sink layer: derive from ferry::sdk::Sink, return a SinkFile from open(), register with
// FERRY_SINK_PLUGIN(Class). Header-only, compiled into the plugin.
//
// Contract (PRODUCT.md §7): open -> write (in order) -> commit makes the file visible atomically, or abort
// leaves nothing behind. Methods may block; the host calls them from its worker pool. Calls for one file
// never overlap; calls for different files may run concurrently, so a Sink's own state must be
// thread-safe. Throw ferry::sdk::Error to fail with a code and a sentence the user will see.
//
// File digests are SHA-256 (32 bytes), in FileInfo::digest and in what lookup() returns. A sink computes
// them with ferry::digest::Sha256 (digest/sha256.hpp, target ferry::digest), as the host does.
#ifndef FERRY_SINK_HPP
#define FERRY_SINK_HPP

#include <ferry/plugin.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace ferry::sdk {

struct FileInfo {
  std::string_view relative_path;
  uint64_t size = 0;
  uint32_t mode = 0;
  int64_t mtime_ns = 0;
  std::span<const uint8_t> digest;  // SHA-256 of the whole file, empty when unknown
};

class SinkFile {
 public:
  virtual ~SinkFile() = default;
  virtual void write(uint64_t offset, std::span<const uint8_t> data) = 0;
  virtual void commit() = 0;
  virtual void abort() noexcept = 0;
};

struct ExistingFile {
  uint64_t size = 0;
  std::vector<uint8_t> digest;  // SHA-256 of the file as held
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual std::unique_ptr<SinkFile> open(const FileInfo& info) = 0;
  // The file as the sink already holds it, so a re-run can skip it; nullopt when absent or unknown.
  virtual std::optional<ExistingFile> lookup(std::string_view /*relative_path*/) { return std::nullopt; }
};

namespace detail {

// Counts what passes through every sink, so that each one reports the same statistics.
struct SinkCounters {
  std::atomic<uint64_t> committed{0};
  std::atomic<uint64_t> aborted{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> open{0};
};

struct SinkInstance {
  std::unique_ptr<Sink> sink;
  SinkCounters counters;
};

struct OpenFile {
  SinkInstance* owner;
  std::unique_ptr<SinkFile> file;
  uint64_t bytes = 0;
};

template <typename S>
struct SinkAdapter {
  static void* create(const ferry_type_host_services* host, const ferry_type_config_view* config,
                      ferry_type_error* error) {
    SinkInstance* instance = nullptr;
    guard(error, [&] {
      auto made = std::make_unique<SinkInstance>();
      made->sink = std::make_unique<S>(Host(host, config));
      instance = made.release();
    });
    return instance;
  }

  static void destroy(void* instance) { delete static_cast<SinkInstance*>(instance); }

  static void* file_open(void* instance, const ferry_type_sink_file_info* info, ferry_type_error* error) {
    auto* owner = static_cast<SinkInstance*>(instance);
    OpenFile* result = nullptr;
    guard(error, [&] {
      FileInfo file_info{std::string_view(info->relative_path, info->relative_path_length), info->size, info->mode,
                         info->mtime_ns, std::span<const uint8_t>(info->digest, info->digest_length)};
      auto opened = std::make_unique<OpenFile>(OpenFile{owner, owner->sink->open(file_info)});
      if (!opened->file) throw Error(FERRY_ERR_INTERNAL, "sink returned no file");
      result = opened.release();
      owner->counters.open.fetch_add(1, std::memory_order_relaxed);
    });
    return result;
  }

  static ferry_type_status file_write(void* file, uint64_t offset, const uint8_t* data, size_t length,
                                      ferry_type_error* error) {
    auto* open = static_cast<OpenFile*>(file);
    return guard(error, [&] {
      open->file->write(offset, std::span<const uint8_t>(data, length));
      open->bytes += length;
    });
  }

  static ferry_type_status file_commit(void* file, ferry_type_error* error) {
    std::unique_ptr<OpenFile> open(static_cast<OpenFile*>(file));
    SinkCounters& counters = open->owner->counters;
    const ferry_type_status status = guard(error, [&] { open->file->commit(); });
    if (status == FERRY_OK) {
      counters.committed.fetch_add(1, std::memory_order_relaxed);
      counters.bytes.fetch_add(open->bytes, std::memory_order_relaxed);
    } else {
      open->file->abort();
      counters.aborted.fetch_add(1, std::memory_order_relaxed);
    }
    counters.open.fetch_sub(1, std::memory_order_relaxed);
    return status;
  }

  static void file_abort(void* file) {
    std::unique_ptr<OpenFile> open(static_cast<OpenFile*>(file));
    open->file->abort();
    open->owner->counters.aborted.fetch_add(1, std::memory_order_relaxed);
    open->owner->counters.open.fetch_sub(1, std::memory_order_relaxed);
  }

  static ferry_type_status lookup(void* instance, const char* path, size_t length, uint64_t* size, uint8_t* digest,
                                  size_t digest_capacity, size_t* digest_length, ferry_type_error* error) {
    auto* owner = static_cast<SinkInstance*>(instance);
    bool found = false;
    const ferry_type_status status = guard(error, [&] {
      const auto existing = owner->sink->lookup(std::string_view(path, length));
      if (!existing) return;
      if (existing->digest.size() > digest_capacity) throw Error(FERRY_ERR_NO_SPACE, "digest buffer too small");
      *size = existing->size;
      if (!existing->digest.empty()) std::memcpy(digest, existing->digest.data(), existing->digest.size());
      *digest_length = existing->digest.size();
      found = true;
    });
    if (status != FERRY_OK) return status;
    return found ? FERRY_OK : FERRY_ERR_NOT_FOUND;
  }

  static ferry_type_status stats(void* instance, ferry_type_sink_stats* out) {
    const SinkCounters& counters = static_cast<SinkInstance*>(instance)->counters;
    if (out == nullptr || out->struct_size < sizeof(ferry_type_sink_stats)) return FERRY_ERR_INVALID_ARGUMENT;
    out->files_committed = counters.committed.load(std::memory_order_relaxed);
    out->files_aborted = counters.aborted.load(std::memory_order_relaxed);
    out->bytes_committed = counters.bytes.load(std::memory_order_relaxed);
    out->files_open = counters.open.load(std::memory_order_relaxed);
    return FERRY_OK;
  }

  static constexpr ferry_type_sink_vtable vtable{
      sizeof(ferry_type_sink_vtable), 0, &create, &destroy, &file_open, &file_write, &file_commit, &file_abort,
      &lookup, &stats};
};

}  // namespace detail
}  // namespace ferry::sdk

// Registers Class as this shared object's sink plugin. Class derives from ferry::sdk::Sink, is
// constructible from a ferry::sdk::Host, and has `static ferry::sdk::PluginInfo info()`.
#define FERRY_SINK_PLUGIN(Class)                                                                                    \
  extern "C" FERRY_PLUGIN_EXPORT const ferry_type_plugin_descriptor* ferry_plugin_entry(void) {                   \
    static const ferry_type_plugin_descriptor descriptor =                                                          \
        ::ferry::sdk::make_descriptor(FERRY_KIND_SINK, Class::info(), &::ferry::sdk::detail::SinkAdapter<Class>::vtable); \
    return &descriptor;                                                                                             \
  }

#endif  // FERRY_SINK_HPP
