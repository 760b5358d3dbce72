// Where a received file goes below the sink's root, resolved so that no name can leave the root.
//
// The relative path is checked as text first: not empty, not absolute, no NUL byte, no empty, "." or ".."
// component, and not inside the sink's own temporary directory. It is then resolved one component at a
// time with openat(2) from a descriptor of the root, each directory opened with O_NOFOLLOW | O_DIRECTORY:
// a symbolic link anywhere below the root is refused rather than followed, so a link planted in the tree
// (say received/etc -> /etc) cannot redirect a write. The final rename happens relative to the descriptor
// of the directory that was opened, so swapping a directory for a link after the check changes nothing.
// (openat2 with RESOLVE_BENEATH would do the same in one call, but needs Linux 5.6 and has no glibc
// wrapper on our systems.) The root itself may be a link: the operator chose it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <ferry/posix.hpp>

namespace ferry::sink_fs {

struct SinkPath {
  std::string text;                     // as received, for messages
  std::vector<std::string> directories; // the components before the file's own name
  std::string name;                     // the file's own name
};

// Checks path as text; throws ferry::sdk::Error naming what is wrong. reserved is the name of the
// temporary directory below the root, which no received path may enter.
SinkPath check_path(std::string_view path, std::string_view reserved);

enum class MissingDirectories { stop, create, create_durably };

// Opens the directory that holds path's file. With MissingDirectories::stop, returns an empty descriptor
// when a directory does not exist yet; create makes it (mode 0777 less the umask), create_durably also
// flushes each new directory's entry in its parent. Throws for a link, a non-directory or an OS error.
sdk::UniqueFd open_parent(int root_fd, const SinkPath& path, MissingDirectories missing);

}  // namespace ferry::sink_fs
