#include "database.hpp"

#include <ferry/posix.hpp>

namespace ferry::sink_sqlite {

Statement::Statement(const Database& database, std::string_view sql) : database_(database) {
  if (sqlite3_prepare_v3(database.handle(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &statement_, nullptr) != SQLITE_OK)
    database.fail("cannot prepare \"" + std::string(sql) + "\"");
}

Statement::~Statement() { sqlite3_finalize(statement_); }

Statement& Statement::bind(int index, int64_t value) {
  if (sqlite3_bind_int64(statement_, index, value) != SQLITE_OK) database_.fail("cannot bind a value");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8) != SQLITE_OK)
    database_.fail("cannot bind a value");
  return *this;
}

Statement& Statement::bind(int index, std::span<const uint8_t> blob) {
  // A zero-length blob from a null pointer would bind NULL, which the schema refuses.
  static constexpr uint8_t nothing = 0;
  if (sqlite3_bind_blob64(statement_, index, blob.empty() ? &nothing : blob.data(), blob.size(), SQLITE_STATIC) !=
      SQLITE_OK)
    database_.fail("cannot bind a value");
  return *this;
}

bool Statement::step() {
  const int status = sqlite3_step(statement_);
  if (status == SQLITE_ROW) return true;
  if (status == SQLITE_DONE) return false;
  // The message is taken before reset, which starts the statement's error state afresh.
  const sdk::Error error = database_.error("\"" + std::string(sqlite3_sql(statement_)) + "\" failed");
  reset();
  throw error;
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() noexcept {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

int64_t Statement::integer(int column) const { return sqlite3_column_int64(statement_, column); }

std::string_view Statement::text(int column) const {
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
  return data ? std::string_view(data, static_cast<size_t>(sqlite3_column_bytes(statement_, column))) : std::string_view();
}

std::span<const uint8_t> Statement::blob(int column) const {
  const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(statement_, column));
  return {data, static_cast<size_t>(sqlite3_column_bytes(statement_, column))};
}

Database::Database(const std::string& path, const char* setup) : path_(sdk::printable(path)) {
  const int status = sqlite3_open_v2(path.c_str(), &handle_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (status != SQLITE_OK) {
    const std::string message = handle_ ? sqlite3_errmsg(handle_) : sqlite3_errstr(status);
    sqlite3_close(handle_);
    throw sdk::Error(FERRY_ERR_IO, "sqlite sink: " + path_ + ": cannot open the database: " + message);
  }
  try {
    sqlite3_extended_result_codes(handle_, 1);
    // Readers (and a checkpoint) may hold the database briefly; wait for them rather than fail a file.
    sqlite3_busy_timeout(handle_, 10000);
    Statement wal(*this, "PRAGMA journal_mode = WAL");
    const bool switched = wal.step() && wal.text(0) == "wal";
    wal.reset();
    if (!switched) throw sdk::Error(FERRY_ERR_IO, "sqlite sink: " + path_ + ": cannot switch the database to WAL mode");
    execute(setup);
  } catch (...) {
    sqlite3_close_v2(handle_);
    throw;
  }
}

Database::~Database() { sqlite3_close_v2(handle_); }

void Database::execute(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(handle_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : sqlite3_errmsg(handle_);
    sqlite3_free(message);
    throw sdk::Error(FERRY_ERR_IO, "sqlite sink: " + path_ + ": " + text);
  }
}

sdk::Error Database::error(std::string_view doing) const {
  return sdk::Error(FERRY_ERR_IO, "sqlite sink: " + path_ + ": " + std::string(doing) + ": " + sqlite3_errmsg(handle_));
}

void Database::fail(std::string_view doing) const { throw error(doing); }

}  // namespace ferry::sink_sqlite
