#include "stream/receive_side.hpp"

#include <cstdio>

#include "stream/crc32c.hpp"
#include "stream/relative_path.hpp"
#include "stream/wire_lists.hpp"

namespace ferry::stream {

namespace {

constexpr uint64_t kMaxMode = 07777;

std::string hex(const Digest& digest) {
  std::string text;
  char pair[3];
  for (uint8_t byte : digest) {
    std::snprintf(pair, sizeof pair, "%02x", byte);
    text += pair;
  }
  return text.empty() ? "(none)" : text;
}

std::string hex32(uint32_t value) {
  char text[11];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

std::string file_name(uint64_t file, uint64_t attempt) {
  return "file " + std::to_string(file) + " attempt " + std::to_string(attempt);
}

}  // namespace

void ReceiveSide::expect(uint64_t files, uint64_t max_retries) {
  expected_files_ = files;
  max_retries_ = max_retries;
}

ReceiveSide::Incoming* ReceiveSide::find(uint64_t file) {
  const auto found = files_.find(file);
  return found == files_.end() ? nullptr : &found->second;
}

std::string ReceiveSide::on_file(const FileHeader& header, Effects& effects) {
  const std::string name = "STREAM_FILE of " + file_name(header.file, header.attempt);
  if (header.file >= expected_files_)
    return name + ", but the peer announced " + std::to_string(expected_files_) + " files";
  Incoming& incoming = files_[header.file];
  if (incoming.phase == Phase::committed) return name + ", which is already committed";
  if (header.attempt != incoming.attempt || incoming.phase != Phase::idle)
    return name + " where attempt " + std::to_string(incoming.attempt) + " was expected";
  if (receiving_) return name + " while file " + std::to_string(*receiving_) + " is still being received";
  if (std::string wrong = check_relative_path(header.path); !wrong.empty()) return name + ": " + wrong;
  if (header.mode > kMaxMode) return name + ": mode " + std::to_string(header.mode) + " is above 07777";
  if (std::string wrong = check_ranges(header.ranges, header.size); !wrong.empty()) return name + ": " + wrong;
  if (!header.digest.empty() && header.digest.size() != kDigestSize)
    return name + ": a digest of " + std::to_string(header.digest.size()) + " bytes (SHA-256 has 32)";

  incoming.path = header.path;
  incoming.size = header.size;
  incoming.announced = header.digest;
  incoming.ranges = effective_ranges(header.ranges, header.size);
  incoming.range = 0;
  incoming.position = incoming.ranges.empty() ? 0 : incoming.ranges.front().offset;
  incoming.hashed = 0;
  incoming.writes_pending = 0;
  incoming.hash.emplace(transfer_digest(settings_));
  receiving_ = header.file;
  incoming.open_call = SinkOpen{header.file, header.attempt, header.path, header.size,
                                static_cast<uint32_t>(header.mode), header.mtime_ns, header.digest};
  incoming.offered.clear();
  if (settings_.skip_held_agreed) {
    // The sender waits for this side's answer before it sends any data of this attempt.
    if (settings_.skip_held) {
      incoming.phase = Phase::checking;
      effects.sink_calls.push_back(SinkLookup{header.file, header.attempt, header.path, header.size});
      return {};
    }
    effects.messages.push_back(FileChecked{session_, header.file, header.attempt, false, {}});
  }
  start_receiving(incoming, effects);
  return {};
}

void ReceiveSide::start_receiving(Incoming& incoming, Effects& effects) {
  incoming.phase = Phase::receiving;
  incoming.open = true;
  effects.sink_calls.push_back(incoming.open_call);
}

void ReceiveSide::on_lookup(uint64_t file, Incoming& incoming, const Digest& held_digest, Effects& effects) {
  const bool held = !incoming.announced.empty() && held_digest == incoming.announced;
  // A sender that announced its digest learns no more from the held one: it differs, so the data travels.
  const bool offer = !held && incoming.announced.empty() && held_digest.size() == kDigestSize;
  effects.messages.push_back(FileChecked{session_, file, incoming.attempt, held, offer ? held_digest : Digest{}});
  if (held) {
    incoming.phase = Phase::held;
  } else if (offer) {
    incoming.phase = Phase::offered;
    incoming.offered = held_digest;
  } else {
    start_receiving(incoming, effects);
  }
}

std::string ReceiveSide::on_chunk(const Chunk& chunk, Effects& effects) {
  const std::string name = "STREAM_CHUNK of " + file_name(chunk.file, chunk.attempt);
  Incoming* incoming = find(chunk.file);
  if (incoming != nullptr && chunk.attempt < incoming->attempt) {
    start_payload(chunk);
    chunk_->discard = true;
    if (chunk.payload_length == 0) chunk_.reset();
    return {};
  }
  if (incoming != nullptr && chunk.attempt == incoming->attempt && incoming->phase == Phase::checking)
    return name + " before this side's STREAM_FILE_CHECKED";
  if (incoming != nullptr && chunk.attempt == incoming->attempt && incoming->phase == Phase::held)
    return name + ", which this side's sink holds";
  // Data after an offer: the sender's file differs from the one held.
  if (incoming != nullptr && chunk.attempt == incoming->attempt && incoming->phase == Phase::offered)
    start_receiving(*incoming, effects);
  if (incoming == nullptr || incoming->phase != Phase::receiving || chunk.attempt != incoming->attempt)
    return name + ", which is not being received";
  if (chunk.payload_length == 0) return name + " carries no bytes";
  if (incoming->range == incoming->ranges.size())
    return name + " at offset " + std::to_string(chunk.offset) + ", after the file's last byte";
  if (chunk.offset != incoming->position)
    return name + " at offset " + std::to_string(chunk.offset) + " where offset " +
           std::to_string(incoming->position) + " was expected";
  const ByteRange& range = incoming->ranges[incoming->range];
  if (chunk.payload_length > range.offset + range.length - chunk.offset)
    return name + " of " + std::to_string(chunk.payload_length) + " bytes at offset " +
           std::to_string(chunk.offset) + " runs past the range ending at " +
           std::to_string(range.offset + range.length);
  incoming->hash->update_zeros(chunk.offset - incoming->hashed);
  incoming->hashed = chunk.offset;
  start_payload(chunk);
  return {};
}

void ReceiveSide::start_payload(const Chunk& chunk) {
  chunk_.emplace();
  chunk_->file = chunk.file;
  chunk_->attempt = chunk.attempt;
  chunk_->start = chunk_->offset = chunk.offset;
  chunk_->remaining = chunk.payload_length;
  chunk_->expected = chunk.crc32c;
}

std::string ReceiveSide::on_payload(std::span<const uint8_t> bytes, const ArrivalChecks& computed,
                                    Effects& effects) {
  if (!chunk_ || bytes.size() > chunk_->remaining)
    return "payload bytes that no STREAM_CHUNK announced";
  PayloadInProgress& piece = *chunk_;
  piece.remaining -= bytes.size();
  if (piece.discard) {
    if (piece.remaining == 0) chunk_.reset();
    return {};
  }
  Incoming& incoming = files_.at(piece.file);
  switch (chunk_check_of(settings_)) {
    case ChunkCheck::xxh3:
      // The chunk's own hash is what the file digest takes, not its bytes.
      if (computed.xxh3 && piece.remaining == 0) {
        piece.hash = computed.xxh3;
      } else {
        if (!piece.hashing) piece.hashing.emplace();
        piece.hashing->update(bytes);
      }
      break;
    case ChunkCheck::crc32c:
      piece.crc = computed.crc32c ? *computed.crc32c : crc32c_extend(piece.crc, bytes);
      incoming.hash->update(bytes);
      break;
    case ChunkCheck::none:
      incoming.hash->update(bytes);
      break;
  }
  incoming.hashed += bytes.size();
  bytes_received_ += bytes.size();
  ++incoming.writes_pending;
  effects.sink_calls.push_back(SinkWrite{piece.file, piece.attempt, piece.offset, bytes});
  piece.offset += bytes.size();
  std::string failure;
  if (piece.remaining == 0) finish_chunk(incoming, effects, failure);
  return failure;
}

void ReceiveSide::finish_chunk(Incoming& incoming, Effects& effects, std::string& failure) {
  PayloadInProgress piece = std::move(*chunk_);
  chunk_.reset();
  const ChunkCheck check = chunk_check_of(settings_);
  uint32_t found = piece.crc;
  if (check == ChunkCheck::xxh3) {
    if (!piece.hash) piece.hash = piece.hashing->finish();
    found = chunk_check(*piece.hash);
  }
  if (check != ChunkCheck::none && found != piece.expected) {
    failure = fail_attempt(piece.file, incoming,
                           "the chunk ending at offset " + std::to_string(piece.offset) + " has " +
                               (check == ChunkCheck::xxh3 ? "XXH3-128 check " : "CRC32C ") + hex32(found) +
                               " where the sender computed " + hex32(piece.expected),
                           effects);
    return;
  }
  if (check == ChunkCheck::xxh3) incoming.hash->add_chunk(piece.start, piece.offset - piece.start, *piece.hash);
  incoming.position = piece.offset;
  const ByteRange& range = incoming.ranges[incoming.range];
  if (incoming.position == range.offset + range.length && ++incoming.range < incoming.ranges.size())
    incoming.position = incoming.ranges[incoming.range].offset;
}

std::string ReceiveSide::on_file_done(const FileDone& done, Effects& effects) {
  const std::string name = "STREAM_FILE_DONE of " + file_name(done.file, done.attempt);
  Incoming* incoming = find(done.file);
  if (incoming != nullptr && done.attempt < incoming->attempt) return {};
  if (incoming != nullptr && done.attempt == incoming->attempt && incoming->phase == Phase::checking)
    return name + " before this side's STREAM_FILE_CHECKED";
  if (incoming != nullptr && done.attempt == incoming->attempt && incoming->phase == Phase::held) {
    if (done.digest != incoming->announced)
      return name + " with SHA-256 " + hex(done.digest) + ", but its STREAM_FILE announced " + hex(incoming->announced);
    skip_held_file(*incoming);
    return {};
  }
  if (incoming != nullptr && done.attempt == incoming->attempt && incoming->phase == Phase::offered) {
    if (done.digest == incoming->offered) {
      // Acknowledged like a commit: a sender that did not hash may have sent a file without data that
      // equals the one held, and waits for this.
      skip_held_file(*incoming);
      effects.messages.push_back(FileCommitted{session_, done.file});
      return {};
    }
    // A file with no data to send (empty, or all holes) that differs from the one held.
    start_receiving(*incoming, effects);
  }
  if (incoming == nullptr || incoming->phase != Phase::receiving || done.attempt != incoming->attempt)
    return name + ", which is not being received";
  if (incoming->range != incoming->ranges.size())
    return name + " before the chunk at offset " + std::to_string(incoming->position);
  receiving_.reset();
  incoming->hash->update_zeros(incoming->size - incoming->hashed);
  const Digest received = incoming->hash->finish();
  const std::string algorithm = digest_name(incoming->hash->algorithm());
  if (received != done.digest)
    return fail_attempt(done.file, *incoming,
                        "'" + incoming->path + "' arrived with " + algorithm + " " + hex(received) +
                            " where the sender's is " + hex(done.digest),
                        effects);
  // An announced digest is a SHA-256: it says whether the file changed only where the data's digest is one.
  if (incoming->hash->algorithm() == DigestAlgorithm::sha256 && !incoming->announced.empty() &&
      incoming->announced != done.digest)
    return fail_attempt(done.file, *incoming,
                        "'" + incoming->path + "' changed while it was sent: SHA-256 " + hex(done.digest) +
                            " where its header announced " + hex(incoming->announced),
                        effects);
  incoming->phase = Phase::awaiting_writes;
  maybe_commit(done.file, *incoming, effects);
  return {};
}

void ReceiveSide::skip_held_file(Incoming& incoming) {
  receiving_.reset();
  incoming.phase = Phase::committed;
  incoming.hash.reset();
  ++committed_;
  ++skipped_;
  for (const ByteRange& range : incoming.ranges) skipped_bytes_ += range.length;
}

void ReceiveSide::maybe_commit(uint64_t file, Incoming& incoming, Effects& effects) {
  if (incoming.phase != Phase::awaiting_writes || incoming.writes_pending > 0) return;
  incoming.phase = Phase::committing;
  effects.sink_calls.push_back(SinkCommit{file, incoming.attempt});
}

std::string ReceiveSide::on_sink_result(const SinkResult& result, Effects& effects) {
  Incoming* incoming = find(result.file);
  if (result.op == SinkOp::lookup) {
    // A sink that cannot tell is answered like one that does not hold the file: it is sent.
    if (incoming != nullptr && result.attempt == incoming->attempt && incoming->phase == Phase::checking)
      on_lookup(result.file, *incoming, result.error ? Digest{} : result.held_digest, effects);
    return {};
  }
  if (incoming == nullptr || result.attempt != incoming->attempt || !incoming->open) return {};
  const std::string where = "'" + incoming->path + "'";
  switch (result.op) {
    case SinkOp::open:
      if (result.error) return fail_attempt(result.file, *incoming, "the sink could not open " + where + ": " +
                                                                        *result.error, effects);
      return {};
    case SinkOp::write:
      --incoming->writes_pending;
      if (result.error)
        return fail_attempt(result.file, *incoming, "the sink could not write " + where + ": " + *result.error,
                            effects);
      maybe_commit(result.file, *incoming, effects);
      return {};
    case SinkOp::commit:
      incoming->open = false;  // a commit releases the file whatever its outcome
      if (result.error)
        return fail_attempt(result.file, *incoming, "the sink could not commit " + where + ": " + *result.error,
                            effects);
      incoming->phase = Phase::committed;
      incoming->hash.reset();
      ++committed_;
      effects.messages.push_back(FileCommitted{session_, result.file});
      return {};
    case SinkOp::lookup:
      return {};
  }
  return {};
}

std::string ReceiveSide::fail_attempt(uint64_t file, Incoming& incoming, const std::string& reason,
                                      Effects& effects) {
  if (incoming.open) effects.sink_calls.push_back(SinkAbort{file, incoming.attempt});
  incoming.open = false;
  if (receiving_ == file) receiving_.reset();
  if (chunk_ && chunk_->file == file) chunk_->discard = true;
  if (incoming.attempt >= max_retries_)
    return "'" + incoming.path + "' failed " + std::to_string(incoming.attempt + 1) + " time" +
           (incoming.attempt == 0 ? "" : "s") + " (max_retries " + std::to_string(max_retries_) +
           "); the last time: " + reason;
  effects.messages.push_back(Retry{session_, file, incoming.attempt, reason});
  ++incoming.attempt;
  ++retries_;
  incoming.phase = Phase::idle;
  incoming.hash.reset();
  return {};
}

void ReceiveSide::abort_open_files(Effects& effects) {
  for (auto& [file, incoming] : files_)
    if (incoming.open) {
      effects.sink_calls.push_back(SinkAbort{file, incoming.attempt});
      incoming.open = false;
    }
}

}  // namespace ferry::stream
