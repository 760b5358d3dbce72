// One file being received into the sqlite sink: its chunks go to the database as they arrive, with a
// running SHA-256, so no more than one chunk is ever held in memory; commit checks the size and the
// announced digest, then publishes the file in one transaction; abort drops what was stored.
#pragma once

#include <ferry/sink.hpp>

#include <string>
#include <vector>

#include "digest/sha256.hpp"
#include "file_store.hpp"

namespace ferry::sink_sqlite {

class SqliteFile final : public sdk::SinkFile {
 public:
  SqliteFile(FileStore& store, const sdk::FileInfo& info);

  void write(uint64_t offset, std::span<const uint8_t> data) override;
  void commit() override;
  void abort() noexcept override;

 private:
  [[noreturn]] void fail(ferry_type_status code, const std::string& why) const;

  FileStore& store_;
  std::string path_;
  uint64_t size_;
  uint32_t mode_;
  int64_t mtime_ns_;
  std::vector<uint8_t> announced_digest_;
  int64_t upload_;
  uint64_t received_ = 0;
  digest::Sha256 sha_;
};

}  // namespace ferry::sink_sqlite
