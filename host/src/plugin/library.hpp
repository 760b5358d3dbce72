// One plugin shared object, loaded and validated. Every instance created from it holds a shared_ptr to
// its Library, so the object is unloaded only after the last instance is gone.
#pragma once

#include <ferry/abi.h>

#include <filesystem>
#include <memory>
#include <string>

#include "plugin/kind.hpp"

namespace ferry::plugin {

// A failed load: why, and what could be read of the descriptor before the refusal (possibly nothing).
struct LoadFailure {
  std::string reason;
  std::string kind, name, version, abi;
};

class Library {
 public:
  // Loads path (rtld_local | rtld_now) and validates its descriptor and table. On refusal returns null
  // and fills failure. The caller has already checked the file's ownership and permissions.
  static std::shared_ptr<Library> load(const std::filesystem::path& path, LoadFailure& failure);

  ~Library();
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;

  const std::filesystem::path& path() const;
  const KindInfo& kind() const;
  // The plugin's descriptor, copied into a zero-filled struct of this host's size.
  const ferry_type_plugin_descriptor& descriptor() const;
  // The kind's function table, copied into a zero-filled struct of this host's size: members a plugin
  // built for an older minor does not have read as NULL.
  template <typename Table>
  const Table& table() const {
    return *static_cast<const Table*>(table_pointer());
  }
  std::string abi_version() const;
  // The same copy as table(), for code that reads it through the kind's description (KindInfo).
  const void* table_pointer() const;

 private:
  struct Impl;
  explicit Library(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace ferry::plugin
