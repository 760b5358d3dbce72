#include "file_store.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

namespace ferry::sink_sqlite {
namespace {

// In WAL mode NORMAL keeps every commit atomic; a commit that a power loss catches before the next
// checkpoint may be rolled back, never torn.
constexpr const char* schema = R"(
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS files (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  mode INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  sha256 BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS uploads (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  path TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
  file_id INTEGER NOT NULL,
  byte_offset INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (file_id, byte_offset)
);
)";

// A file's id is the id its upload had, and AUTOINCREMENT never hands out an id twice, so chunks of an
// upload can never be taken for chunks of a committed file.
constexpr const char* drop_leftovers = R"(
BEGIN IMMEDIATE;
DELETE FROM chunks WHERE file_id IN (SELECT id FROM uploads);
DELETE FROM uploads;
COMMIT;
)";


sdk::UniqueFd claim_database(const std::string& path) {
  sdk::UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) throw sdk::os_error("sqlite sink: " + sdk::printable(path) + ": cannot open the database", errno);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      throw sdk::Error(FERRY_ERR_PERMISSION, "sqlite sink: " + sdk::printable(path) +
                                                 ": another sqlite sink is using this database (give each sink its own file)");
    throw sdk::os_error("sqlite sink: " + sdk::printable(path) + ": cannot lock the database", errno);
  }
  return fd;
}

// Rolls back the open transaction unless it was committed.
class Transaction {
 public:
  explicit Transaction(Database& database) : database_(database) { database_.execute("BEGIN IMMEDIATE"); }
  ~Transaction() {
    if (!done_) sqlite3_exec(database_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void commit() {
    database_.execute("COMMIT");
    done_ = true;
  }

 private:
  Database& database_;
  bool done_ = false;
};

}  // namespace

FileStore::FileStore(const std::string& path)
    : claim_(claim_database(path)),
      database_(path, (std::string(schema) + drop_leftovers).c_str()),
      insert_upload_(database_, "INSERT INTO uploads (path) VALUES (?1)"),
      insert_chunk_(database_, "INSERT INTO chunks (file_id, byte_offset, data) VALUES (?1, ?2, ?3)"),
      find_file_(database_, "SELECT id, size, sha256 FROM files WHERE path = ?1"),
      delete_chunks_(database_, "DELETE FROM chunks WHERE file_id = ?1"),
      delete_file_(database_, "DELETE FROM files WHERE id = ?1"),
      insert_file_(database_,
                   "INSERT INTO files (id, path, size, mode, mtime_ns, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
      delete_upload_(database_, "DELETE FROM uploads WHERE id = ?1") {}

int64_t FileStore::begin_upload(std::string_view path) {
  std::lock_guard lock(mutex_);
  insert_upload_.bind(1, path).run();
  return sqlite3_last_insert_rowid(database_.handle());
}

void FileStore::add_chunk(int64_t upload, uint64_t offset, std::span<const uint8_t> data) {
  std::lock_guard lock(mutex_);
  insert_chunk_.bind(1, upload).bind(2, static_cast<int64_t>(offset)).bind(3, data).run();
}

void FileStore::publish(int64_t upload, const FileRecord& record) {
  std::lock_guard lock(mutex_);
  Transaction transaction(database_);
  std::optional<int64_t> replaced;
  if (find_file_.bind(1, record.path).step()) replaced = find_file_.integer(0);
  find_file_.reset();
  if (replaced) {
    delete_chunks_.bind(1, *replaced).run();
    delete_file_.bind(1, *replaced).run();
  }
  insert_file_.bind(1, upload)
      .bind(2, record.path)
      .bind(3, static_cast<int64_t>(record.size))
      .bind(4, static_cast<int64_t>(record.mode))
      .bind(5, record.mtime_ns)
      .bind(6, record.sha256)
      .run();
  delete_upload_.bind(1, upload).run();
  transaction.commit();
}

void FileStore::discard(int64_t upload) noexcept {
  std::lock_guard lock(mutex_);
  try {
    Transaction transaction(database_);
    delete_chunks_.bind(1, upload).run();
    delete_upload_.bind(1, upload).run();
    transaction.commit();
  } catch (...) {
    // Left for the next start, which drops every upload; no `files` row ever points at these chunks.
  }
}

std::optional<StoredFile> FileStore::find(std::string_view path) {
  std::lock_guard lock(mutex_);
  std::optional<StoredFile> found;
  if (find_file_.bind(1, path).step()) {
    const auto sha256 = find_file_.blob(2);
    found = StoredFile{static_cast<uint64_t>(find_file_.integer(1)), {sha256.begin(), sha256.end()}};
  }
  find_file_.reset();
  return found;
}

}  // namespace ferry::sink_sqlite
