// Which plugin files the host is willing to load at all. A node running as root must not execute code
// that another user could have replaced, so it refuses files writable by group or others and files
// owned by anyone but itself.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

namespace ferry::plugin {

struct FilePolicy {
  bool enforce_ownership = false;
  uid_t owner = 0;

  // Enforced when running as root (effective uid 0), as the packaged service does.
  static FilePolicy for_current_process();
};

// Why the file must not be loaded, or nullopt when it may be.
std::optional<std::string> refuse_file(const std::filesystem::path& path, const FilePolicy& policy);

}  // namespace ferry::plugin
