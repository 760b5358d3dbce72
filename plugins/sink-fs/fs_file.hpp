// One file being received by the fs sink: written at its offsets into a temporary file, then made visible
// by commit (attributes, flush, rename into place) or deleted by abort.
//
// Chunks must arrive in order (the sink contract); the file is never held in memory. A chunk of zeros is
// not written but skipped over, so sparse files stay sparse (the temporary file is new, so a hole reads
// as zeros). The SHA-256 of the data is computed as it arrives and, when the host gave the expected
// digest, checked before the file becomes visible.
// Thread safety: one FsFile is used by one thread at a time (the hooks of one file never overlap).
#pragma once

#include <ferry/sink.hpp>

#include "digest/sha256.hpp"
#include "fs_options.hpp"
#include "sink_path.hpp"
#include "staging_area.hpp"

namespace ferry::sink_fs {

// What every file of one sink shares; owned by the sink, which outlives its files.
struct FsRoot {
  sdk::UniqueFd fd;
  FsyncPolicy fsync;
  StagingArea* staging;
};

class FsFile final : public sdk::SinkFile {
 public:
  FsFile(const FsRoot& root, SinkPath path, const sdk::FileInfo& info);
  ~FsFile() override;

  void write(uint64_t offset, std::span<const uint8_t> data) override;
  void commit() override;
  void abort() noexcept override;

 private:
  void write_all(uint64_t offset, std::span<const uint8_t> data);
  void set_attributes();
  void check_digest(const digest::Sha256Digest& received) const;
  void rename_into_place();

  const FsRoot& root_;
  SinkPath path_;
  uint64_t size_;
  uint32_t mode_;
  int64_t mtime_ns_;
  std::vector<uint8_t> expected_digest_;
  TempFile temp_;
  digest::Sha256 sha_;
  uint64_t received_ = 0;
  bool finished_ = false;
};

}  // namespace ferry::sink_fs
