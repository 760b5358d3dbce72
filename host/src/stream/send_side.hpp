// The files one side of a session sends: one file at a time, in chunks, each attempt hashed as it is read;
// a retried file goes to the front of the queue with its next attempt; done when the peer committed all.
// Up to kReadsAhead chunk reads of the attempt being sent may be asked at once, so that reading the next
// chunks overlaps sending this one; their bytes come back in the order they were asked.
// With skip_held agreed, each attempt's data waits for the receiver's STREAM_FILE_CHECKED; a file is hashed
// before its data only when that answer names a held file of its path and size.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "stream/session_types.hpp"
#include "stream/file_digest.hpp"

namespace ferry::stream {

class SendSide {
 public:
  static constexpr size_t kReadsAhead = 2;

  SendSide(SessionId session, std::vector<SourceFile> files, const Settings& settings);

  uint64_t file_count() const { return files_.size(); }
  uint64_t total_bytes() const;
  bool all_committed() const { return committed_ == files_.size(); }
  uint64_t retries() const { return retries_; }
  // Files the receiver's sink held, so their data was not sent, and their data bytes.
  uint64_t skipped() const { return skipped_; }
  uint64_t skipped_bytes() const { return skipped_bytes_; }
  // Files whose data travelled and that the peer committed.
  uint64_t files_sent() const { return sent_committed_; }

  // The next thing to send, or nullopt when nothing is to be sent now.
  std::optional<SendStep> next_send();
  // The chunk to send with bytes as its payload, or nullopt when the attempt it was read for was dropped
  // meanwhile (a retry came): the driver then sends nothing. Reads are handed back in the order they were
  // asked; an error names a read that does not match the oldest ReadChunk asked for. hash: the bytes'
  // chunk_hash when the driver computed it (chunk_xxh3); without it the session computes what it needs.
  std::variant<std::optional<Chunk>, std::string> chunk_read(uint64_t file, uint64_t attempt, uint64_t offset,
                                                            std::span<const uint8_t> bytes,
                                                            const std::optional<Digest>& hash);

  // The peer's answers; each returns an error when it cannot be true of what this side sent.
  std::string on_retry(const Retry& retry, uint64_t max_retries);
  std::string on_committed(const FileCommitted& committed);
  std::string on_checked(const FileChecked& checked);
  // The digest a HashFile step asked for; ignored when that attempt was dropped meanwhile.
  void file_hashed(uint64_t file, uint64_t attempt, Digest digest);

 private:
  enum class Phase { queued, sending, sent, committed };
  struct Outgoing {
    Phase phase = Phase::queued;
    uint64_t attempt = 0;
    bool skipped = false;  // its data did not travel: the receiver's sink holds it
  };
  // Where the attempt being sent is: announced, then with skip_held agreed checked, perhaps hashed against
  // the receiver's held digest, then sent (data) or finished at once (held); without, announced and sent.
  // matched: the receiver's offer equals this file, whose STREAM_FILE_DONE is then sent without data and
  // acknowledged by STREAM_FILE_COMMITTED; held: the receiver said so, and nothing is acknowledged.
  enum class Step { announce, checking, hash, hashing, data, matched, held };
  struct Current {  // the attempt being sent
    explicit Current(DigestAlgorithm algorithm) : hash(algorithm) {}
    uint64_t file = 0;
    uint64_t attempt = 0;
    Step step = Step::announce;
    Digest digest;  // the header's: empty, or known before sending
    Digest offered;  // the digest of the file the receiver holds at this path and size, when it has one
    std::vector<ByteRange> ranges;
    size_t range = 0;       // index of the range the next chunk to ask for comes from
    uint64_t position = 0;  // file offset of the next chunk to ask for
    uint64_t hashed = 0;    // file bytes the digest has covered
    FileDigest hash;
  };

  std::optional<ReadChunk> next_read();
  ReadChunk ask(const ReadChunk& read);
  FileDone finish_current();
  FileDone finish_skipped(bool acknowledged);

  SessionId session_;
  std::vector<SourceFile> files_;
  Settings settings_;
  std::vector<Outgoing> state_;
  std::deque<uint64_t> queue_;
  std::optional<Current> current_;
  std::deque<ReadChunk> pending_reads_;  // asked for, not yet handed back, oldest first
  uint64_t committed_ = 0;
  uint64_t sent_committed_ = 0;
  uint64_t retries_ = 0;
  uint64_t skipped_ = 0;
  uint64_t skipped_bytes_ = 0;
};

}  // namespace ferry::stream
