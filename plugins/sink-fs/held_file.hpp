// What the sink already holds at a path (size and SHA-256), so that a re-run can skip a file.
//
// A commit stores the file's digest with it, in the extended attribute user.ferry.sha256 as
// "HEX SIZE MTIME_NS". lookup trusts that record while the file's size and modification time still match
// it; otherwise (a file copied in by hand, a changed file, a filesystem without user attributes) it reads
// the file 1 MiB at a time and records the digest again when it can.
#pragma once

#include <ferry/sink.hpp>

#include <optional>

#include "digest/sha256.hpp"
#include "sink_path.hpp"

namespace ferry::sink_fs {

// Records digest on the open file fd, which has the given size and mtime; silently does nothing where the
// filesystem keeps no user attributes.
void record_digest(int fd, const digest::Sha256Digest& digest, uint64_t size, int64_t mtime_ns) noexcept;

// The regular file at path below root_fd, or nullopt when there is none (a symbolic link or a directory
// there is not a held file: a commit would replace the former and fail on the latter).
std::optional<sdk::ExistingFile> find_held_file(int root_fd, const SinkPath& path);

}  // namespace ferry::sink_fs
