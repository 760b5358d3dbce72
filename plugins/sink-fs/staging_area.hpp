// The directory below the root where files are written until they commit, so that a reader of the root
// never sees a partial file: commit renames a finished file out of it, abort deletes it.
//
// One sink owns it at a time: the directory is locked (flock) for the sink's lifetime, because a second
// sink on the same root would delete the first one's files in progress as leftovers. Anything left in it
// when a sink starts — from a crash or a kill — is a file that never committed, and is deleted.
// Thread safety: create() and remove() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include <ferry/plugin.hpp>
#include <ferry/posix.hpp>

namespace ferry::sink_fs {

struct TempFile {
  sdk::UniqueFd fd;
  std::string name;  // within the staging directory
};

class StagingArea {
 public:
  // Opens (creating it, mode 0700) root/name, locks it and deletes what it holds; logs what was deleted.
  StagingArea(int root_fd, const std::string& root, std::string name, const sdk::Host& host);

  int fd() const { return directory_.get(); }
  const std::string& name() const { return name_; }
  // A new, empty file (mode 0600); for_path only names the received file in error messages.
  TempFile create(std::string_view for_path);
  void remove(const std::string& temp_name) noexcept;

 private:
  void delete_leftovers(const std::string& root, const sdk::Host& host);

  std::string name_;
  sdk::UniqueFd directory_;
  std::atomic<uint64_t> next_{0};
};

}  // namespace ferry::sink_fs
