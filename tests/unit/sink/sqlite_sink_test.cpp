// The sqlite sink: files read back with the SQL that docs/configuration.md gives to users, what a killed
// process leaves, the digest check, one sink per database, and errors that carry SQLite's reason.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include "fs_harness.hpp"

using namespace ferry::test;
using ferry::plugin::PluginError;

namespace {

// The documented queries, verbatim.
constexpr const char* list_files = "SELECT path, size, mode, mtime_ns, hex(sha256) FROM files ORDER BY path";
constexpr const char* extract_file =
    "SELECT data FROM chunks WHERE file_id = (SELECT id FROM files WHERE path = ?1) ORDER BY byte_offset";

ferry::config::PluginValues sqlite_values(const std::filesystem::path& database) {
  ferry::config::PluginValues values;
  values.values.emplace("path", database.string());
  return values;
}

// A separate read-only connection, as a user's tool would open the database.
class Reader {
 public:
  explicit Reader(const std::filesystem::path& database) {
    REQUIRE(sqlite3_open_v2(database.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  }
  ~Reader() { sqlite3_close(db_); }

  std::vector<std::string> paths() {
    std::vector<std::string> found;
    each_row(list_files, {}, [&](sqlite3_stmt* row) {
      found.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(row, 0)));
    });
    return found;
  }

  std::optional<std::vector<uint8_t>> extract(const std::string& path) {
    const auto listed = paths();
    if (std::find(listed.begin(), listed.end(), path) == listed.end()) return std::nullopt;
    std::vector<uint8_t> bytes;
    each_row(extract_file, path, [&](sqlite3_stmt* row) {
      const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(row, 0));
      bytes.insert(bytes.end(), data, data + sqlite3_column_bytes(row, 0));
    });
    return bytes;
  }

  int64_t count(const char* sql) {
    int64_t result = -1;
    each_row(sql, {}, [&](sqlite3_stmt* row) { result = sqlite3_column_int64(row, 0); });
    return result;
  }

 private:
  template <typename OnRow>
  void each_row(const char* sql, const std::string& parameter, OnRow on_row) {
    sqlite3_stmt* statement = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) == SQLITE_OK);
    if (!parameter.empty()) sqlite3_bind_text(statement, 1, parameter.c_str(), -1, SQLITE_TRANSIENT);
    int status;
    while ((status = sqlite3_step(statement)) == SQLITE_ROW) on_row(statement);
    sqlite3_finalize(statement);
    REQUIRE(status == SQLITE_DONE);
  }

  sqlite3* db_ = nullptr;
};

}  // namespace

TEST_CASE("sqlite sink: files come back byte for byte with the documented SQL", "[sink][sqlite]") {
  TempDirectory scratch;
  const auto database = scratch.path() / "files.db";
  auto sink = require_sink("sqlite", sqlite_values(database));
  const auto first = pattern_bytes(3 * 4096 + 5, 1), second = pattern_bytes(1 << 20, 2), replaced = pattern_bytes(10, 3);
  require_store(*sink, file_spec("a/first.bin", first.size()), first, 1000);
  require_store(*sink, file_spec("données/second file.bin", second.size()), second, 65536);
  require_store(*sink, file_spec("empty", 0), {}, 1);
  require_store(*sink, file_spec("a/first.bin", replaced.size()), replaced, 4);

  Reader reader(database);
  CHECK(reader.paths() == std::vector<std::string>{"a/first.bin", "données/second file.bin", "empty"});
  CHECK(reader.extract("a/first.bin") == replaced);
  CHECK(reader.extract("données/second file.bin") == second);
  CHECK(reader.extract("empty") == std::vector<uint8_t>{});
  CHECK(reader.count("SELECT count(*) FROM chunks WHERE file_id NOT IN (SELECT id FROM files)") == 0);
}

TEST_CASE("sqlite sink: a process killed in the middle of a file leaves no row visible", "[sink][sqlite]") {
  TempDirectory scratch;
  const auto database = scratch.path() / "files.db";
  const auto data = pattern_bytes(200000, 4);
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // Exits at once (closing the pipe, which ends the parent's wait) unless half the file is written.
    try {
      auto created = load_sink("sqlite", sqlite_values(database));
      auto opened = std::get<0>(created)->open(file_spec("cut/file.bin", data.size()));
      if (!std::get<0>(opened)->write(0, std::span(data).first(100000)) && ::write(ready[1], "w", 1) == 1)
        for (;;) ::pause();  // killed here, with the file half written
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(ready[1]);
  char written = 0;
  const bool wrote = ::read(ready[0], &written, 1) == 1;
  ::close(ready[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(wrote);
  {
    Reader reader(database);
    CHECK(reader.paths().empty());
    CHECK(reader.count("SELECT count(*) FROM uploads") == 1);
  }
  auto sink = require_sink("sqlite", sqlite_values(database));
  Reader reader(database);
  CHECK(reader.count("SELECT count(*) FROM uploads") == 0);
  CHECK(reader.count("SELECT count(*) FROM chunks") == 0);
}

TEST_CASE("sqlite sink: a wrong announced digest fails the commit and leaves nothing", "[sink][sqlite]") {
  TempDirectory scratch;
  auto sink = require_sink("sqlite", sqlite_values(scratch.path() / "files.db"));
  const auto data = pattern_bytes(5000, 5);
  const std::array<uint8_t, 32> wrong{};
  auto spec = file_spec("checked.bin", data.size());
  spec.digest = wrong;
  auto file = require_open(*sink, spec);
  REQUIRE_FALSE(file->write(0, data));
  const auto error = file->commit();
  REQUIRE(error);
  CHECK(error->code == FERRY_ERR_PROTOCOL);
  CHECK_THAT(error->message, Catch::StartsWith("sqlite sink: checked.bin: the received bytes have SHA-256 "));
  Reader reader(scratch.path() / "files.db");
  CHECK(reader.paths().empty());
  CHECK(reader.count("SELECT count(*) FROM chunks") == 0);
}

TEST_CASE("sqlite sink: one sink per database, and errors carry the reason", "[sink][sqlite]") {
  TempDirectory scratch;
  const auto database = scratch.path() / "files.db";
  auto first = require_sink("sqlite", sqlite_values(database));
  auto second = load_sink("sqlite", sqlite_values(database));
  REQUIRE(std::holds_alternative<PluginError>(second));
  CHECK_THAT(std::get<PluginError>(second).message, Catch::Contains("another sqlite sink is using this database"));

  auto missing = load_sink("sqlite", sqlite_values(scratch.path() / "no/such/dir/files.db"));
  REQUIRE(std::holds_alternative<PluginError>(missing));
  CHECK_THAT(std::get<PluginError>(missing).message,
             Catch::Contains("no/such/dir/files.db") && Catch::Contains("No such file or directory"));
}
