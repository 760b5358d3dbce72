#include "plugin/sink_instance.hpp"

#include <algorithm>
#include <utility>

namespace ferry::plugin {

SinkFile::SinkFile(std::shared_ptr<const SinkInstance> owner, void* handle) : owner_(std::move(owner)), handle_(handle) {}

SinkFile::~SinkFile() { abort(); }

std::optional<PluginError> SinkFile::write(uint64_t offset, std::span<const uint8_t> data) {
  if (handle_ == nullptr) return PluginError{FERRY_ERR_INVALID_ARGUMENT, "file is already committed or aborted"};
  ferry_type_error error = blank_error();
  const ferry_type_status status = owner_->table_.on_sink_file_write(handle_, offset, data.data(), data.size(), &error);
  if (status != FERRY_OK) return PluginError::from(status, error);
  return std::nullopt;
}

std::optional<PluginError> SinkFile::commit() {
  if (handle_ == nullptr) return PluginError{FERRY_ERR_INVALID_ARGUMENT, "file is already committed or aborted"};
  ferry_type_error error = blank_error();
  void* handle = std::exchange(handle_, nullptr);
  const ferry_type_status status = owner_->table_.on_sink_file_commit(handle, &error);
  if (status != FERRY_OK) return PluginError::from(status, error);
  return std::nullopt;
}

void SinkFile::abort() {
  if (void* handle = std::exchange(handle_, nullptr)) owner_->table_.on_sink_file_abort(handle);
}

SinkInstance::SinkInstance(std::unique_ptr<InstanceContext> context, std::string name)
    : context_(std::move(context)),
      name_(std::move(name)),
      table_(context_->library()->table<ferry_type_sink_vtable>()) {}

std::variant<std::shared_ptr<SinkInstance>, PluginError> SinkInstance::create(std::shared_ptr<Library> library,
                                                                              const std::string& instance_name,
                                                                              const config::PluginValues& values,
                                                                              runtime::EventLoop* loop) {
  if (library->kind().kind != FERRY_KIND_SINK)
    return PluginError{FERRY_ERR_INVALID_ARGUMENT, "plugin " + std::string(library->descriptor().name) + " is a " +
                                                       std::string(library->kind().name) + ", not a sink"};
  auto context = std::make_unique<InstanceContext>(std::move(library), "sink." + instance_name, loop);
  std::shared_ptr<SinkInstance> sink(new SinkInstance(std::move(context), instance_name));
  ferry_type_error error = blank_error();
  sink->instance_ = sink->table_.on_sink_create(sink->context_->services(), InstanceContext::view_of(values), &error);
  if (sink->instance_ == nullptr) return PluginError::from(error.code != FERRY_OK ? error.code : FERRY_ERR_INTERNAL, error);
  return sink;
}

SinkInstance::~SinkInstance() {
  if (instance_ != nullptr) table_.on_sink_destroy(instance_);
}

std::variant<std::unique_ptr<SinkFile>, PluginError> SinkInstance::open(const FileSpec& file) {
  ferry_type_sink_file_info info{};
  info.struct_size = sizeof info;
  info.mode = file.mode;
  info.relative_path = file.relative_path.c_str();
  info.relative_path_length = file.relative_path.size();
  info.size = file.size;
  info.mtime_ns = file.mtime_ns;
  info.digest = file.digest.empty() ? nullptr : file.digest.data();
  info.digest_length = file.digest.size();
  ferry_type_error error = blank_error();
  void* handle = table_.on_sink_file_open(instance_, &info, &error);
  if (handle == nullptr) return PluginError::from(error.code != FERRY_OK ? error.code : FERRY_ERR_INTERNAL, error);
  return std::make_unique<SinkFile>(shared_from_this(), handle);
}

std::variant<std::optional<HeldFile>, PluginError> SinkInstance::lookup(const std::string& relative_path) const {
  if (table_.on_sink_lookup == nullptr) return std::nullopt;
  // Room for any digest a sink might keep; SHA-256 needs 32 bytes.
  constexpr size_t digest_capacity = 64;
  HeldFile held;
  held.digest.resize(digest_capacity);
  size_t digest_length = 0;
  ferry_type_error error = blank_error();
  const ferry_type_status status = table_.on_sink_lookup(instance_, relative_path.data(), relative_path.size(),
                                                         &held.size, held.digest.data(), digest_capacity,
                                                         &digest_length, &error);
  if (status == FERRY_ERR_NOT_FOUND) return std::nullopt;
  if (status != FERRY_OK) return PluginError::from(status, error);
  held.digest.resize(std::min(digest_length, digest_capacity));
  return held;
}

std::optional<SinkStats> SinkInstance::stats() const {
  if (table_.on_sink_stats == nullptr) return std::nullopt;
  ferry_type_sink_stats raw{};
  raw.struct_size = sizeof raw;
  if (table_.on_sink_stats(instance_, &raw) != FERRY_OK) return std::nullopt;
  return SinkStats{raw.files_committed, raw.files_aborted, raw.bytes_committed, raw.files_open};
}

}  // namespace ferry::plugin
