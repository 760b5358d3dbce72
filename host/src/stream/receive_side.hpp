// The files one side of a session receives. A file's attempt is opened in the sink at its STREAM_FILE,
// written chunk by chunk as payload arrives, and committed only once its digest matched and every write
// succeeded. A failed attempt (chunk check, digest, sink error) is aborted and retried, or fails the session once
// max_retries is spent; every later chunk and STREAM_FILE_DONE of that attempt is discarded, so the stream
// stays in step (docs/streaming.md, "Retry"). With skip_held agreed, every STREAM_FILE is answered with
// STREAM_FILE_CHECKED, after a lookup in the sink: a file held with the size and the digest the header
// announced is "held"; one held with that size when no digest was announced is offered by its digest. A
// held file, or an offered one whose STREAM_FILE_DONE carries the offered digest, is never opened: no data
// precedes that STREAM_FILE_DONE.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "stream/session_types.hpp"

namespace ferry::stream {

class ReceiveSide {
 public:
  ReceiveSide(SessionId session, const Settings& settings) : session_(session), settings_(settings) {}

  // What the peer announced in its prepare message, and the retry bound of the session.
  void expect(uint64_t files, uint64_t max_retries);
  bool all_committed() const { return committed_ == expected_files_; }
  uint64_t retries() const { return retries_; }
  uint64_t bytes_received() const { return bytes_received_; }
  // Files the sink already held, so nothing of them was received or committed.
  uint64_t skipped() const { return skipped_; }
  uint64_t skipped_bytes() const { return skipped_bytes_; }  // the data bytes of the skipped files
  // Files its sink committed (the skipped ones are counted as committed, not as received).
  uint64_t files_received() const { return committed_ - skipped_; }
  // A chunk's payload is still to come: no other message may arrive before it.
  bool in_payload() const { return chunk_.has_value(); }

  // Each returns why the session must fail (a peer that broke the protocol, a file out of retries), or an
  // empty string; messages to send and sink calls go to effects.
  std::string on_file(const FileHeader& header, Effects& effects);
  std::string on_chunk(const Chunk& chunk, Effects& effects);
  std::string on_payload(std::span<const uint8_t> bytes, const ArrivalChecks& computed, Effects& effects);
  std::string on_file_done(const FileDone& done, Effects& effects);
  std::string on_sink_result(const SinkResult& result, Effects& effects);
  // The session failed: abort every file still open in the sink.
  void abort_open_files(Effects& effects);

 private:
  // checking: the sink is asked what it holds at the path; held: the file with the announced digest, and
  // STREAM_FILE_DONE is due; offered: one of that size, whose digest the sender was told, and either its
  // STREAM_FILE_DONE with that digest or the data of a different file is due.
  enum class Phase { idle, checking, held, offered, receiving, awaiting_writes, committing, committed };
  struct Incoming {
    Phase phase = Phase::idle;
    uint64_t attempt = 0;
    bool open = false;  // opened in the sink and neither committed nor aborted
    std::string path;
    uint64_t size = 0;
    Digest announced;  // the header's digest, possibly empty
    Digest offered;    // the held file's digest this side told the sender, possibly empty
    std::vector<ByteRange> ranges;
    size_t range = 0;       // index of the range the next chunk belongs to
    uint64_t position = 0;  // file offset the next chunk must start at
    uint64_t hashed = 0;
    uint64_t writes_pending = 0;
    std::optional<FileDigest> hash;
    SinkOpen open_call;  // the sink open of the attempt, made after the lookup when there is one
  };
  struct PayloadInProgress {
    uint64_t file = 0;
    uint64_t attempt = 0;
    uint64_t start = 0;      // the chunk's offset
    uint64_t offset = 0;     // where the next piece goes
    uint64_t remaining = 0;  // bytes of the payload still to come
    uint32_t expected = 0;   // the check the sender computed (Chunk::crc32c)
    uint32_t crc = 0;        // ChunkCheck::crc32c: of the pieces so far
    // ChunkCheck::xxh3: the payload's chunk_hash as computed on arrival, or the pieces so far hashed here.
    std::optional<Digest> hash;
    std::optional<Xxh3_128> hashing;
    bool discard = false;
  };

  void on_lookup(uint64_t file, Incoming& incoming, const Digest& held_digest, Effects& effects);
  void start_receiving(Incoming& incoming, Effects& effects);
  void skip_held_file(Incoming& incoming);
  std::string fail_attempt(uint64_t file, Incoming& incoming, const std::string& reason, Effects& effects);
  void start_payload(const Chunk& chunk);
  void finish_chunk(Incoming& incoming, Effects& effects, std::string& failure);
  void maybe_commit(uint64_t file, Incoming& incoming, Effects& effects);
  Incoming* find(uint64_t file);

  SessionId session_;
  Settings settings_;
  uint64_t expected_files_ = 0;
  uint64_t max_retries_ = 0;
  std::map<uint64_t, Incoming> files_;
  std::optional<uint64_t> receiving_;  // the file whose attempt is being received, not yet done or failed
  std::optional<PayloadInProgress> chunk_;
  uint64_t committed_ = 0;
  uint64_t retries_ = 0;
  uint64_t bytes_received_ = 0;
  uint64_t skipped_ = 0;
  uint64_t skipped_bytes_ = 0;
};

}  // namespace ferry::stream
