// The messages of a streaming session as the session state machine sees them: owned values, independent of
// any codec. docs/streaming.md says what each means.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace ferry::stream {

using SessionId = std::array<uint8_t, 16>;
using Digest = std::vector<uint8_t>;  // SHA-256: 32 bytes
inline constexpr size_t kDigestSize = 32;

struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
  bool operator==(const ByteRange&) const = default;
};

struct Prepare {
  SessionId session{};
  uint64_t files = 0;  // what the initiator sends
  uint64_t bytes = 0;
  std::vector<std::string> requests;  // what it asks the follower to send
  uint64_t max_retries = 0;           // the session's bound on retries of one file, for both directions
  bool operator==(const Prepare&) const = default;
};

struct PrepareAck {
  SessionId session{};
  uint64_t files = 0;  // what the follower sends
  uint64_t bytes = 0;
  bool operator==(const PrepareAck&) const = default;
};

struct FileHeader {
  SessionId session{};
  uint64_t file = 0;     // 0, 1, ... in the order of the sender's files
  uint64_t attempt = 0;  // 0, then one more after each retry
  std::string path;      // relative, '/'-separated
  uint64_t size = 0;
  uint64_t mode = 0;  // POSIX permission bits, at most 07777
  int64_t mtime_ns = 0;
  std::vector<ByteRange> ranges;  // empty: the whole file; else the parts whose bytes travel, in order
  Digest digest;                  // empty, or the SHA-256 of the file known before sending
  bool operator==(const FileHeader&) const = default;
};

// A chunk's header; its payload_length bytes travel after it as the message's payload.
struct Chunk {
  SessionId session{};
  uint64_t file = 0;
  uint64_t attempt = 0;
  uint64_t offset = 0;
  // The payload's check: its CRC32C when data_crc32c is agreed, chunk_check of its chunk_hash when
  // chunk_xxh3 is (session_types.hpp, ChunkCheck); else 0.
  uint32_t crc32c = 0;
  uint64_t payload_length = 0;
  bool operator==(const Chunk&) const = default;
};

struct FileDone {
  SessionId session{};
  uint64_t file = 0;
  uint64_t attempt = 0;
  Digest digest;  // of the file's data, as the agreed features have it (docs/streaming.md, "Digest")
  bool operator==(const FileDone&) const = default;
};

struct Retry {
  SessionId session{};
  uint64_t file = 0;
  uint64_t attempt = 0;  // the attempt that failed
  std::string reason;
  bool operator==(const Retry&) const = default;
};

// With skip_held agreed, the receiver's answer to every STREAM_FILE, before any of its data travels. held:
// the sink holds the file with that size and the digest the STREAM_FILE carried (no data follows). Else
// digest, when not empty, is that of the file the sink holds at that path with that size: the sender may
// hash its file and, when they are equal, send STREAM_FILE_DONE with that digest and no data.
struct FileChecked {
  SessionId session{};
  uint64_t file = 0;
  uint64_t attempt = 0;
  bool held = false;
  Digest digest{};
  bool operator==(const FileChecked&) const = default;
};

struct FileCommitted {
  SessionId session{};
  uint64_t file = 0;
  bool operator==(const FileCommitted&) const = default;
};

struct Complete {
  SessionId session{};
  bool operator==(const Complete&) const = default;
};

struct Failed {
  SessionId session{};
  std::string reason;
  bool operator==(const Failed&) const = default;
};

struct KeepAlive {
  SessionId session{};
  bool operator==(const KeepAlive&) const = default;
};

using StreamMessage = std::variant<Prepare, PrepareAck, FileHeader, Chunk, FileDone, Retry, FileCommitted, Complete,
                                   Failed, KeepAlive, FileChecked>;

}  // namespace ferry::stream
