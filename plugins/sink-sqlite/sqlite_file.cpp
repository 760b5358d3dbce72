#include "sqlite_file.hpp"

#include <ferry/posix.hpp>

#include <algorithm>

namespace ferry::sink_sqlite {

SqliteFile::SqliteFile(FileStore& store, const sdk::FileInfo& info)
    : store_(store),
      path_(info.relative_path),
      size_(info.size),
      mode_(info.mode),
      mtime_ns_(info.mtime_ns),
      announced_digest_(info.digest.begin(), info.digest.end()),
      upload_(store.begin_upload(info.relative_path)) {}

void SqliteFile::write(uint64_t offset, std::span<const uint8_t> data) {
  if (offset != received_)
    fail(FERRY_ERR_INVALID_ARGUMENT,
         "chunk at offset " + std::to_string(offset) + ", expected " + std::to_string(received_));
  if (data.size() > size_ - received_)
    fail(FERRY_ERR_INVALID_ARGUMENT, "more data than the announced " + std::to_string(size_) + " bytes");
  if (data.empty()) return;
  store_.add_chunk(upload_, offset, data);
  sha_.update(data);
  received_ += data.size();
}

void SqliteFile::commit() {
  if (received_ != size_)
    fail(FERRY_ERR_INVALID_ARGUMENT,
         "committed after " + std::to_string(received_) + " of " + std::to_string(size_) + " bytes");
  const digest::Sha256Digest digest = sha_.finish();
  if (!announced_digest_.empty() && !std::equal(digest.begin(), digest.end(), announced_digest_.begin(),
                                                announced_digest_.end()))
    fail(FERRY_ERR_PROTOCOL, "the received bytes have SHA-256 " + digest::to_hex(digest) +
                                 ", the sender announced " + digest::to_hex(announced_digest_));
  store_.publish(upload_, FileRecord{path_, size_, mode_, mtime_ns_, digest});
}

void SqliteFile::abort() noexcept { store_.discard(upload_); }

void SqliteFile::fail(ferry_type_status code, const std::string& why) const {
  throw sdk::Error(code, "sqlite sink: " + sdk::printable(path_) + ": " + why);
}

}  // namespace ferry::sink_sqlite
