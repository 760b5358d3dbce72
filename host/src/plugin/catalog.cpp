#include "plugin/catalog.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <set>
#include <system_error>

#include "plugin/plugin_metrics.hpp"

namespace ferry::plugin {
namespace {

std::string bounded(const char* text, size_t limit) {
  return text == nullptr ? std::string() : std::string(text, strnlen(text, limit));
}

const char* config_type_name(uint32_t type) {
  static constexpr const char* names[] = {"", "string", "integer", "boolean", "size", "duration"};
  return type < std::size(names) ? names[type] : "";
}

std::vector<std::filesystem::path> plugin_files(const std::filesystem::path& directory, std::string& problem) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  if (error) {
    problem = "plugin directory " + directory.string() + " cannot be read: " + error.message();
    return files;
  }
  for (const auto& entry : it)
    if (entry.path().extension() == ".so") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

PluginRecord examine(const std::filesystem::path& path, const FilePolicy& policy) {
  PluginRecord record;
  record.path = path;
  if (auto refusal = refuse_file(path, policy)) {
    record.reason = std::move(*refusal);
    return record;
  }
  LoadFailure failure;
  record.library = Library::load(path, failure);
  if (!record.library) {
    record.reason = std::move(failure.reason);
    record.kind = std::move(failure.kind);
    record.name = std::move(failure.name);
    record.version = std::move(failure.version);
    record.abi = std::move(failure.abi);
    return record;
  }
  const ferry_type_plugin_descriptor& d = record.library->descriptor();
  record.loaded = true;
  record.kind = std::string(record.library->kind().name);
  record.name = d.name;
  record.version = d.version;
  record.abi = record.library->abi_version();
  record.description = bounded(d.description, 1024);
  for (size_t i = 0; i < d.feature_count; ++i) record.features.emplace_back(d.features[i].name);
  if (const auto version = record.library->kind().protocol_version)
    record.protocol = version(record.library->table_pointer());
  for (size_t i = 0; i < d.config_key_count; ++i) {
    const ferry_type_config_key& key = d.config_keys[i];
    record.config_keys.push_back({key.name, config_type_name(key.type), bounded(key.help, 1024), key.required != 0});
  }
  return record;
}

// Every scan counts, a reload's too: each loads its plugins anew.
void count_scanned(const PluginRecord& record) {
  if (record.loaded)
    plugin_loads(record.kind).add();
  else
    plugin_refusals().add();
}

}  // namespace

Catalog Catalog::scan(const std::vector<std::filesystem::path>& directories, const FilePolicy& policy) {
  Catalog catalog;
  std::set<std::filesystem::path> seen_files;
  for (const auto& directory : directories) {
    std::string problem;
    for (const auto& file : plugin_files(directory, problem)) {
      std::error_code error;
      const auto canonical = std::filesystem::weakly_canonical(file, error);
      if (!seen_files.insert(error ? file : canonical).second) continue;

      PluginRecord record = examine(file, policy);
      if (record.loaded) {
        const auto owner = std::find_if(catalog.records_.begin(), catalog.records_.end(), [&](const PluginRecord& r) {
          return r.loaded && r.name == record.name;
        });
        if (owner != catalog.records_.end()) {
          record.loaded = false;
          record.library.reset();
          record.reason = "name '" + record.name + "' is already taken by " + owner->path.string();
        }
      }
      count_scanned(record);
      catalog.records_.push_back(std::move(record));
    }
    if (!problem.empty()) catalog.warnings_.push_back(std::move(problem));
  }
  return catalog;
}

std::shared_ptr<Library> Catalog::find(std::string_view kind, std::string_view name) const {
  for (const PluginRecord& record : records_)
    if (record.loaded && record.kind == kind && record.name == name) return record.library;
  return nullptr;
}

std::vector<std::string> Catalog::names(std::string_view kind) const {
  std::vector<std::string> result;
  for (const PluginRecord& record : records_)
    if (record.loaded && record.kind == kind) result.push_back(record.name);
  return result;
}

std::filesystem::path default_plugin_directory() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "lib/ferry/plugins";
  return (self.parent_path() / ".." / "lib" / "ferry" / "plugins").lexically_normal();
}

}  // namespace ferry::plugin
