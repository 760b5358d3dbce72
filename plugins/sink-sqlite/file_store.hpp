// The files of one sqlite sink in its database (schema in docs/sqlite-sink.md):
//   files   one row per committed file: path, size, mode, mtime_ns, sha256; `id` keys its chunks.
//   chunks  the bytes: (file_id, byte_offset, data), one row per write, in order of byte_offset.
//   uploads files being received; their chunks carry an upload's id, which no `files` row has yet.
// A file's chunks are stored as they arrive, each in a short transaction of its own, so concurrent files
// interleave and no write lock is held while a sender is slow. The file then becomes visible in one
// transaction (publish), which turns its upload into a `files` row and replaces an older file of that
// path. A reader that goes through `files` therefore never sees part of a file.
//
// One sink per database file: a second one would drop the first one's uploads as leftovers, so the store
// holds an flock(2) on the file while it lives (SQLite itself uses fcntl locks, which flock does not touch,
// so readers such as the sqlite3 shell are not kept out).
//
// Thread safety: every member may be called from any thread; calls are serialised on one connection.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ferry/posix.hpp>

#include "database.hpp"

namespace ferry::sink_sqlite {

struct FileRecord {
  std::string_view path;
  uint64_t size = 0;
  uint32_t mode = 0;
  int64_t mtime_ns = 0;
  std::span<const uint8_t> sha256;
};

struct StoredFile {
  uint64_t size = 0;
  std::vector<uint8_t> sha256;
};

class FileStore {
 public:
  // Opens (or creates) the database and its schema, and drops the uploads that a stopped process left.
  explicit FileStore(const std::string& path);

  int64_t begin_upload(std::string_view path);
  void add_chunk(int64_t upload, uint64_t offset, std::span<const uint8_t> data);
  // Makes the upload the committed file record.path, in one transaction.
  void publish(int64_t upload, const FileRecord& record);
  // Drops the upload and its chunks. Failures are logged by the caller's host only as far as it can:
  // leftovers are also dropped when the sink next starts.
  void discard(int64_t upload) noexcept;
  std::optional<StoredFile> find(std::string_view path);

 private:
  std::mutex mutex_;
  // Declared before the database, so that it is released only after the connection has closed.
  sdk::UniqueFd claim_;
  Database database_;
  Statement insert_upload_, insert_chunk_, find_file_, delete_chunks_, delete_file_, insert_file_, delete_upload_;
};

}  // namespace ferry::sink_sqlite
