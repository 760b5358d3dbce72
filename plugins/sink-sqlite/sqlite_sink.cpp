// The `sqlite` sink: stores received files in one SQLite database file (WAL mode), so that a whole tree
// of small files lands in one place that can be queried, copied and served. Each file is streamed in as
// chunk rows and becomes visible in one transaction (file_store.hpp); docs/sqlite-sink.md documents the
// schema and the SQL that lists and extracts files.
#include <ferry/relative_path.hpp>
#include <ferry/sink.hpp>

#include "file_store.hpp"
#include "sqlite_file.hpp"

namespace ferry::sink_sqlite {
namespace {

constexpr ferry_type_config_key config_keys[] = {
    {"path", FERRY_CONFIG_STRING, 1, 0, 0,
     "The database file; created with its schema when missing (its directory must exist)"},
};

std::string database_path(const sdk::Host& host) {
  auto path = host.config_string("path");
  if (!path || path->empty()) throw sdk::Error(FERRY_ERR_CONFIG, "sqlite sink: the key path must name a database file");
  return *path;
}

class SqliteSink final : public sdk::Sink {
 public:
  explicit SqliteSink(const sdk::Host& host) : path_(database_path(host)), store_(path_) {
    host.info("sqlite sink: storing files in " + path_);
  }

  static sdk::PluginInfo info() {
    return {"sqlite", "1.0.0", "Stores received files in one SQLite database, each visible once complete",
            config_keys};
  }

  std::unique_ptr<sdk::SinkFile> open(const sdk::FileInfo& file) override {
    if (const auto problem = sdk::relative_path_problem(file.relative_path); !problem.empty())
      throw sdk::Error(FERRY_ERR_PERMISSION, "sqlite sink: refused the file name: " + std::string(problem));
    return std::make_unique<SqliteFile>(store_, file);
  }

  std::optional<sdk::ExistingFile> lookup(std::string_view relative_path) override {
    auto found = store_.find(relative_path);
    if (!found) return std::nullopt;
    return sdk::ExistingFile{found->size, std::move(found->sha256)};
  }

 private:
  std::string path_;
  FileStore store_;
};

}  // namespace
}  // namespace ferry::sink_sqlite

FERRY_SINK_PLUGIN(ferry::sink_sqlite::SqliteSink)
