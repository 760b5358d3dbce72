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

std::optional<std::string> refuse_file(const std::filesystem::path& path, const FilePolicy& policy) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return std::string("cannot stat: ") + std::strerror(errno);
  if (!S_ISREG(info.st_mode)) return std::string("not a regular file");
  if (!policy.enforce_ownership) return std::nullopt;
  if (info.st_uid != policy.owner)
    return "owned by uid " + std::to_string(info.st_uid) + ", not by the user running ferry (uid " +
           std::to_string(policy.owner) + ")";
  if (info.st_mode & (S_IWGRP | S_IWOTH)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return std::string("writable by group or others (mode ") + mode + ")";
  }
  return std::nullopt;
}

}  // namespace ferry::plugin
