// The bytes written after a message (a file chunk): held in memory (owned, or shared with whoever lent
// them), or a range of an open file. A file range travels without entering this process on a plaintext
// connection (sendfile from the page cache to the socket); over TLS the connection reads it into the
// record it encrypts, so a sender that has the bytes in memory already sends those instead.
//
// A file range is read when it is written, and again if it is resent after a reconnect: a file that
// changed meanwhile sends other bytes, which the chunk's CRC32C or the file's digest catches at the
// receiver (the file is retried). A file that shrank sends zeros in place of what is missing, so that the
// stream stays framed, and fails the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "util/unique_fd.hpp"

namespace ferry::comm {

struct FileRange {
  std::shared_ptr<const util::UniqueFd> file;
  uint64_t offset = 0;
  uint64_t length = 0;
};

// A file's range whose bytes the sender has in memory already (read for its checks): written from that
// memory the first time, and from the file if resent after a reconnect. The memory goes back to its owner
// once written (drop_lent), not when the peer acknowledges it, so that a sender reuses a few buffers that
// are still in the cache instead of one per chunk in flight.
struct LentBytes {
  std::shared_ptr<const std::vector<uint8_t>> bytes;
  FileRange file;
};

class Payload {
 public:
  Payload() = default;
  Payload(std::vector<uint8_t> bytes) : content_(std::move(bytes)) {}  // NOLINT: a payload is its bytes
  // NOLINTNEXTLINE: or bytes it shares, kept until the payload goes
  Payload(std::shared_ptr<const std::vector<uint8_t>> bytes) : content_(std::move(bytes)) {}
  Payload(FileRange range) : content_(std::move(range)) {}  // NOLINT: or a file's range
  Payload(LentBytes lent) : content_(std::move(lent)) {}     // NOLINT: or a file's range, in memory for now

  uint64_t size() const {
    if (const auto* range = file()) return range->length;
    return bytes()->size();
  }
  bool empty() const { return size() == 0; }
  // Exactly one of these is non-null.
  const std::vector<uint8_t>* bytes() const {
    if (const auto* owned = std::get_if<std::vector<uint8_t>>(&content_)) return owned;
    if (const auto* shared = std::get_if<Shared>(&content_)) return shared->get();
    if (const auto* lent = std::get_if<LentBytes>(&content_)) return lent->bytes.get();
    return nullptr;
  }
  const FileRange* file() const { return std::get_if<FileRange>(&content_); }
  // Lent bytes, for whoever writes them to keep until written; null for any other payload.
  std::shared_ptr<const std::vector<uint8_t>> lent() const {
    const auto* lent = std::get_if<LentBytes>(&content_);
    return lent ? lent->bytes : nullptr;
  }
  // Written once: lent bytes are given back, and the payload is its file's range from now on.
  void drop_lent() {
    if (auto* lent = std::get_if<LentBytes>(&content_)) {
      FileRange range = std::move(lent->file);
      content_ = std::move(range);
    }
  }

 private:
  using Shared = std::shared_ptr<const std::vector<uint8_t>>;
  std::variant<std::vector<uint8_t>, Shared, FileRange, LentBytes> content_;
};

}  // namespace ferry::comm
