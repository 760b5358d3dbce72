// What a streaming session is given and what it asks of its driver (docs/streaming.md). The session is
// sans-I/O: the driver feeds it received messages, sink results and timer ticks, and carries out what it
// asks for (messages to send, sink calls, source reads), so every transition is testable without sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "stream/file_digest.hpp"
#include "stream/messages.hpp"

namespace ferry::stream {

enum class State { initialized, preparing, streaming, wait_complete, complete, failed };
enum class Role { initiator, follower };

// "STREAMING", as the docs and logs name states.
const char* state_name(State state);

struct Settings {
  uint64_t chunk_size = 2 << 20;  // the largest chunk this side sends
  uint64_t max_retries = 3;       // the initiator's value governs the session (sent in STREAM_PREPARE)
  // A silent peer fails the session after this many ticks without a message from it; this side sends a
  // STREAM_KEEPALIVE at a tick when it sent nothing since the tick before.
  uint32_t silent_ticks_limit = 3;
  bool chunk_crc32c = false;  // data_crc32c is agreed on the connection: fill and check chunk CRCs
  // skip_held is agreed on the connection: every STREAM_FILE is answered with STREAM_FILE_CHECKED, and
  // its sender waits for that answer (docs/streaming.md, "Skipping files the sink holds").
  bool skip_held_agreed = false;
  // This side asks its sink what it holds of each file it receives, and hashes a file it sends when the
  // receiver holds one of that path and size; only with skip_held_agreed.
  bool skip_held = false;
  // xxh3_digest is agreed on the connection: the digest of the data that travels, in STREAM_FILE_DONE, is
  // XXH3-128 instead of SHA-256 (docs/streaming.md, "Digest").
  bool xxh3_digest = false;
  // chunk_xxh3 is agreed as well: every chunk is checked by its own XXH3-128, and the digest is taken over
  // those (docs/streaming.md, "Digest"); it has no effect without xxh3_digest.
  bool chunk_xxh3 = false;
};

inline DigestAlgorithm transfer_digest(const Settings& settings) {
  if (!settings.xxh3_digest) return DigestAlgorithm::sha256;
  return settings.chunk_xxh3 ? DigestAlgorithm::xxh3_128_of_chunks : DigestAlgorithm::xxh3_128;
}

// How a chunk's payload is checked: its chunk_hash (chunk_xxh3, which data_crc32c then adds nothing to),
// its CRC32C (data_crc32c), or not at all but through the file's digest.
enum class ChunkCheck { none, crc32c, xxh3 };
inline ChunkCheck chunk_check_of(const Settings& settings) {
  if (transfer_digest(settings) == DigestAlgorithm::xxh3_128_of_chunks) return ChunkCheck::xxh3;
  return settings.chunk_crc32c ? ChunkCheck::crc32c : ChunkCheck::none;
}

// What a node computed over a chunk's payload while its bytes arrived, so that the session need not pass
// over them again: the CRC32C from the payload's first byte through the bytes handed over, and, with the
// bytes that end the payload, its chunk_hash.
struct ArrivalChecks {
  std::optional<uint32_t> crc32c;
  std::optional<Digest> xxh3;
};

// A file this side sends.
struct SourceFile {
  std::string path;    // on the wire: relative, '/'-separated
  std::string source;  // where the driver reads it; the session only hands it back in ReadChunk
  uint64_t size = 0;
  uint32_t mode = 0644;
  int64_t mtime_ns = 0;
  std::vector<ByteRange> ranges;  // empty: the whole file
  Digest digest;                  // empty, or known in advance
};

// The follower's export-roots check: the files a requested path stands for, or why it is refused.
class ExportResolver {
 public:
  virtual ~ExportResolver() = default;
  virtual std::variant<std::vector<SourceFile>, std::string> resolve(const std::string& requested) = 0;
};

// Sink calls for the files this side receives. The driver runs the calls of one (file, attempt) in order
// and answers each with a SinkResult; once an open failed, the later calls of that attempt fail too.
struct SinkOpen {
  uint64_t file = 0;
  uint64_t attempt = 0;
  std::string path;
  uint64_t size = 0;
  uint32_t mode = 0;
  int64_t mtime_ns = 0;
  Digest digest;  // the header's, possibly empty
};
struct SinkWrite {
  uint64_t file = 0;
  uint64_t attempt = 0;
  uint64_t offset = 0;
  std::span<const uint8_t> data;  // the received payload: valid until the driver's next call into the session
};
struct SinkCommit {
  uint64_t file = 0;
  uint64_t attempt = 0;
};
struct SinkAbort {  // answered by no result
  uint64_t file = 0;
  uint64_t attempt = 0;
};
// What does the sink hold at path? Answered with SinkResult::held_digest.
struct SinkLookup {
  uint64_t file = 0;
  uint64_t attempt = 0;
  std::string path;
  uint64_t size = 0;
};
using SinkCall = std::variant<SinkOpen, SinkWrite, SinkCommit, SinkAbort, SinkLookup>;

enum class SinkOp { open, write, commit, lookup };
struct SinkResult {
  uint64_t file = 0;
  uint64_t attempt = 0;
  SinkOp op = SinkOp::open;
  std::optional<std::string> error;  // the sink's own message
  Digest held_digest{};              // lookup: the SHA-256 of the file held at path with that size, or empty
};

// What the session asks of the sender's driver next (Session::next_send).
struct ReadChunk {  // read length bytes of source at offset, then hand them to Session::chunk_read
  uint64_t file = 0;
  uint64_t attempt = 0;
  std::string source;
  uint64_t offset = 0;
  uint64_t length = 0;
};
// Hash a file whose STREAM_FILE_CHECKED named a held file of its path and size (skip_held): the SHA-256 of
// its content, holes read as zeros, goes to Session::file_hashed.
struct HashFile {
  uint64_t file = 0;
  uint64_t attempt = 0;
  std::string source;
  uint64_t size = 0;
  std::vector<ByteRange> ranges;  // where its data is (effective ranges: never empty unless size is 0)
};
using SendStep = std::variant<FileHeader, ReadChunk, FileDone, HashFile>;

// Everything the session asked for since the driver last took it, in order within each list.
struct Effects {
  std::vector<StreamMessage> messages;  // to send to the peer (never a Chunk: see Session::chunk_read)
  std::vector<SinkCall> sink_calls;
  std::vector<State> states;  // each state entered
};

}  // namespace ferry::stream
