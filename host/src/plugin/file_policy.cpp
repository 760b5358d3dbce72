#include "plugin/file_policy.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ferry::plugin {

FilePolicy FilePolicy::for_current_process() {
  const uid_t euid = geteuid();
  return FilePolicy{euid == 0, euid};
}

namespace {

// Why another user could replace what stands at path, or nullopt.
std::optional<std::string> unsafe(const char* what, const struct stat& info, const FilePolicy& policy) {
  if (info.st_uid != policy.owner)
    return std::string(what) + " owned by uid " + std::to_string(info.st_uid) + ", not by the user running ferry (uid " +
           std::to_string(policy.owner) + ")";
  if (info.st_mode & (S_IWGRP | S_IWOTH)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return std::string(what) + " writable by group or others (mode " + mode + ")";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> refuse_file(const std::filesystem::path& path, const FilePolicy& policy) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::string("cannot stat: ") + std::strerror(errno);
  if (!S_ISREG(info.st_mode)) return std::string("not a regular file");
  if (!policy.enforce_ownership) return std::nullopt;
  if (auto reason = unsafe("file", info, policy)) return reason;
  // A safe file in a directory others may write to can still be swapped for another one.
  struct stat directory {};
  const auto parent = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  if (::stat(parent.c_str(), &directory) != 0) return std::string("cannot stat its directory: ") + std::strerror(errno);
  // In a sticky directory (such as /tmp) only the file's owner may rename or remove it.
  if (directory.st_mode & S_ISVTX) return std::nullopt;
  return unsafe("directory", directory, policy);
}

}  // namespace ferry::plugin
