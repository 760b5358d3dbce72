// The files one side of a session sends: one file at a time, in chunks, each attempt hashed as it is read;
// a retried file goes to the front of the queue with its next attempt; done when the peer committed all.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "stream/session_types.hpp"
#include "stream/sha256.hpp"

namespace ferry::stream {

class SendSide {
 public:
  SendSide(SessionId session, std::vector<SourceFile> files, const Settings& settings);

  uint64_t file_count() const { return files_.size(); }
  uint64_t total_bytes() const;
  bool all_committed() const { return committed_ == files_.size(); }
  uint64_t retries() const { return retries_; }

  // The next thing to send, or nullopt when nothing is to be sent now.
  std::optional<SendStep> next_send();
  // The chunk to send with bytes as its payload, or nullopt when the attempt it was read for was dropped
  // meanwhile (a retry came): the driver then sends nothing. An error names a read that does not match
  // the ReadChunk asked for.
  std::variant<std::optional<Chunk>, std::string> chunk_read(uint64_t file, uint64_t attempt, uint64_t offset,
                                                            std::span<const uint8_t> bytes);

  // The peer's answers; each returns an error when it cannot be true of what this side sent.
  std::string on_retry(const Retry& retry, uint64_t max_retries);
  std::string on_committed(const FileCommitted& committed);

 private:
  enum class Phase { queued, sending, sent, committed };
  struct Outgoing {
    Phase phase = Phase::queued;
    uint64_t attempt = 0;
  };
  struct Current {  // the attempt being sent
    uint64_t file = 0;
    uint64_t attempt = 0;
    std::vector<ByteRange> ranges;
    size_t range = 0;       // index of the range the next chunk comes from
    uint64_t position = 0;  // file offset of the next chunk
    uint64_t hashed = 0;    // file bytes the digest has covered
    Sha256 hash;
  };

  FileHeader header_of(uint64_t file, uint64_t attempt) const;
  std::optional<ReadChunk> next_read();
  FileDone finish_current();

  SessionId session_;
  std::vector<SourceFile> files_;
  Settings settings_;
  std::vector<Outgoing> state_;
  std::deque<uint64_t> queue_;
  std::optional<Current> current_;
  std::optional<ReadChunk> pending_read_;  // asked for, not yet handed back
  uint64_t committed_ = 0;
  uint64_t retries_ = 0;
};

}  // namespace ferry::stream
