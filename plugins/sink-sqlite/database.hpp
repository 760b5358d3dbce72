// A SQLite connection and its prepared statements. Every failure becomes a ferry::sdk::Error that names
// the database file and carries SQLite's own message, so the user sees why a file could not be stored.
// Not thread-safe: the owner serialises all use (FileStore holds a mutex).
#pragma once

#include <ferry/plugin.hpp>
#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ferry::sink_sqlite {

class Database;

class Statement {
 public:
  Statement(const Database& database, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based, as in SQLite. Text and blobs are not copied: they must outlive the next step().
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::span<const uint8_t> blob);
  // True when a row is ready, false when the statement is done.
  bool step();
  // Runs the statement to its end and makes it ready for the next use.
  void run();
  void reset() noexcept;

  int64_t integer(int column) const;
  std::string_view text(int column) const;
  std::span<const uint8_t> blob(int column) const;

 private:
  const Database& database_;
  sqlite3_stmt* statement_ = nullptr;
};

class Database {
 public:
  // Opens the file, creating it when missing, in WAL mode, and runs the statements of setup.
  Database(const std::string& path, const char* setup);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void execute(const char* sql);
  sqlite3* handle() const { return handle_; }
  // The error of the last failed call on this connection, saying what was being done; fail throws it.
  sdk::Error error(std::string_view doing) const;
  [[noreturn]] void fail(std::string_view doing) const;

 private:
  std::string path_;  // as it appears in messages
  sqlite3* handle_ = nullptr;
};

}  // namespace ferry::sink_sqlite
