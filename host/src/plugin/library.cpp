#include "plugin/library.hpp"

#include <string>
#include <utility>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstring>

#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include "log/logging.hpp"
#include "plugin/descriptor_check.hpp"
#include "plugin/elf_symbols.hpp"

namespace ferry::plugin {

// The kind tables side by side, so one zero-filled copy fits whichever kind the plugin is.
union AnyTable {
  ferry_type_transport_vtable transport;
  ferry_type_codec_vtable codec;
  ferry_type_tls_vtable tls;
  ferry_type_sink_vtable sink;
};

struct Library::Impl {
  std::filesystem::path path;
  boost::dll::shared_library library;
  const KindInfo* kind = nullptr;
  ferry_type_plugin_descriptor descriptor{};
  AnyTable table{};
  // Taken at load: a library may be released during static destruction at exit (a catalog kept in a
  // static), after the logging settings are gone, and its own reference keeps the logger and its sink alive.
  std::shared_ptr<spdlog::logger> log;
};

namespace {

bool exports_entry(const std::filesystem::path& path, std::string& reason) {
  const ExportLookup entry = find_exported_function(path, FERRY_PLUGIN_ENTRY_NAME);
  if (entry.found) return true;
  reason = entry.problem.empty() ? "no entry symbol '" FERRY_PLUGIN_ENTRY_NAME "': not a ferry plugin" : entry.problem;
  return false;
}

}  // namespace

Library::Library(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

// Several Library objects may hold one object (a reload loads the files it finds again while the running
// set still holds them), and the loader counts them; only the last one's close really unloads, and
// only that one is worth a log line, since a removed codec's unloading is what an operator may wait for.
// Debug level: every command unloads its plugins when it exits, which is no news.
Library::~Library() {
  const std::string path = impl_->path.string();
  const std::string what = std::string(impl_->kind->name) + " plugin " + impl_->descriptor.name;
  impl_->library.unload();
  if (void* still = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD)) {
    dlclose(still);
    return;
  }
  impl_->log->debug("unloaded {} ({})", what, path);
}

std::shared_ptr<Library> Library::load(const std::filesystem::path& path, LoadFailure& failure) {
  // Read the dynamic symbol table first, so that a file which is not a plugin never runs its constructors here.
  if (!exports_entry(path, failure.reason)) return nullptr;

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->log = ferry::log::get("ferry");
  try {
    impl->library.load(path, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now);
  } catch (const std::exception& e) {
    failure.reason = std::string("cannot be loaded: ") + e.what();
    return nullptr;
  }
  const auto entry = impl->library.get<const ferry_type_plugin_descriptor*()>(FERRY_PLUGIN_ENTRY_NAME);
  const ferry_type_plugin_descriptor* descriptor = entry();

  DescriptorCheck check = check_descriptor(descriptor);
  failure.kind = check.kind_name;
  failure.name = check.name;
  failure.version = check.version;
  failure.abi = check.abi;
  if (!check.reason.empty()) {
    failure.reason = check.reason;
    return nullptr;
  }

  impl->kind = check.kind;
  std::memcpy(&impl->descriptor, descriptor, std::min<size_t>(descriptor->struct_size, sizeof impl->descriptor));
  std::memcpy(&impl->table, descriptor->vtable, std::min(check.table_size, impl->kind->host_table_size));
  if (const auto hook = missing_hook(*impl->kind, &impl->table)) {
    failure.reason = std::string(impl->kind->name) + " table lacks the mandatory hook " + std::string(*hook);
    return nullptr;
  }
  return std::shared_ptr<Library>(new Library(std::move(impl)));
}

const std::filesystem::path& Library::path() const { return impl_->path; }
const KindInfo& Library::kind() const { return *impl_->kind; }
const ferry_type_plugin_descriptor& Library::descriptor() const { return impl_->descriptor; }
const void* Library::table_pointer() const { return &impl_->table; }

std::string Library::abi_version() const {
  return std::to_string(impl_->descriptor.abi_major) + "." + std::to_string(impl_->descriptor.abi_minor);
}

}  // namespace ferry::plugin
