#include "stream/send_side.hpp"

#include <algorithm>

#include "stream/crc32c.hpp"
#include "stream/wire_lists.hpp"

namespace ferry::stream {

SendSide::SendSide(SessionId session, std::vector<SourceFile> files, const Settings& settings)
    : session_(session), files_(std::move(files)), settings_(settings), state_(files_.size()) {
  for (uint64_t file = 0; file < files_.size(); ++file) queue_.push_back(file);
}

uint64_t SendSide::total_bytes() const {
  uint64_t total = 0;
  for (const SourceFile& file : files_)
    for (const ByteRange& range : effective_ranges(file.ranges, file.size)) total += range.length;
  return total;
}

std::optional<SendStep> SendSide::next_send() {
  if (!pending_reads_.empty()) {
    // Only more chunks of the attempt being read: its STREAM_FILE_DONE waits for the digest of them all.
    if (pending_reads_.size() >= kReadsAhead) return std::nullopt;
    if (std::optional<ReadChunk> read = next_read()) return ask(*read);
    return std::nullopt;
  }
  if (!current_) {
    if (queue_.empty()) return std::nullopt;
    const uint64_t file = queue_.front();
    queue_.pop_front();
    Outgoing& outgoing = state_[file];
    outgoing.phase = Phase::sending;
    current_.emplace(transfer_digest(settings_));
    current_->file = file;
    current_->attempt = outgoing.attempt;
    current_->ranges = effective_ranges(files_[file].ranges, files_[file].size);
    if (!current_->ranges.empty()) current_->position = current_->ranges.front().offset;
    current_->digest = files_[file].digest;
  }
  switch (current_->step) {
    case Step::checking:
    case Step::hashing:
      return std::nullopt;
    case Step::announce: {
      const SourceFile& source = files_[current_->file];
      current_->step = settings_.skip_held_agreed ? Step::checking : Step::data;
      return FileHeader{session_,    current_->file,  current_->attempt, source.path,     source.size,
                        source.mode, source.mtime_ns, source.ranges,     current_->digest};
    }
    case Step::hash: {
      // Hashed at every attempt that is offered a held file: a retried file may have changed since.
      current_->step = Step::hashing;
      const SourceFile& source = files_[current_->file];
      return HashFile{current_->file, current_->attempt, source.source, source.size, current_->ranges};
    }
    case Step::matched:
      return finish_skipped(true);
    case Step::held:
      return finish_skipped(false);
    case Step::data:
      break;
  }
  if (std::optional<ReadChunk> read = next_read()) return ask(*read);
  return finish_current();
}

ReadChunk SendSide::ask(const ReadChunk& read) {
  pending_reads_.push_back(read);
  Current& current = *current_;
  current.position += read.length;
  const ByteRange& range = current.ranges[current.range];
  if (current.position == range.offset + range.length && ++current.range < current.ranges.size())
    current.position = current.ranges[current.range].offset;
  return read;
}

std::optional<ReadChunk> SendSide::next_read() {
  if (current_->range == current_->ranges.size()) return std::nullopt;
  const ByteRange& range = current_->ranges[current_->range];
  const uint64_t length = std::min(settings_.chunk_size, range.offset + range.length - current_->position);
  return ReadChunk{current_->file, current_->attempt, files_[current_->file].source, current_->position, length};
}

FileDone SendSide::finish_current() {
  Current& current = *current_;
  current.hash.update_zeros(files_[current.file].size - current.hashed);
  FileDone done{session_, current.file, current.attempt, current.hash.finish()};
  state_[current.file].phase = Phase::sent;
  current_.reset();
  return done;
}

FileDone SendSide::finish_skipped(bool acknowledged) {
  FileDone done{session_, current_->file, current_->attempt, current_->digest};
  state_[current_->file].skipped = true;
  if (acknowledged) {
    state_[current_->file].phase = Phase::sent;
  } else {
    state_[current_->file].phase = Phase::committed;
    ++committed_;
  }
  ++skipped_;
  for (const ByteRange& range : current_->ranges) skipped_bytes_ += range.length;
  current_.reset();
  return done;
}

void SendSide::file_hashed(uint64_t file, uint64_t attempt, Digest digest) {
  if (!current_ || current_->file != file || current_->attempt != attempt || current_->step != Step::hashing) return;
  if (digest != current_->offered) {
    current_->step = Step::data;
    return;
  }
  current_->digest = std::move(digest);
  current_->step = Step::matched;
}

std::string SendSide::on_checked(const FileChecked& checked) {
  const std::string name =
      "STREAM_FILE_CHECKED of file " + std::to_string(checked.file) + " attempt " + std::to_string(checked.attempt);
  if (!current_ || current_->file != checked.file || current_->attempt != checked.attempt ||
      current_->step != Step::checking)
    return name + ", which this side is not waiting for";
  if (checked.held && current_->digest.empty())
    return name + " says the file is held, but its STREAM_FILE carried no digest to compare";
  if (!checked.digest.empty() && checked.digest.size() != kDigestSize)
    return name + ": a digest of " + std::to_string(checked.digest.size()) + " bytes (SHA-256 has 32)";
  if (checked.held) {
    current_->step = Step::held;
  } else if (checked.digest.empty() || !settings_.skip_held) {
    current_->step = Step::data;
  } else if (!current_->digest.empty()) {
    // Known in advance: compared without reading the file.
    current_->step = current_->digest == checked.digest ? Step::matched : Step::data;
  } else {
    current_->offered = checked.digest;
    current_->step = Step::hash;
  }
  return {};
}

std::variant<std::optional<Chunk>, std::string> SendSide::chunk_read(uint64_t file, uint64_t attempt,
                                                                     uint64_t offset,
                                                                     std::span<const uint8_t> bytes,
                                                                     const std::optional<Digest>& hash) {
  if (pending_reads_.empty() || pending_reads_.front().file != file || pending_reads_.front().attempt != attempt)
    return std::optional<Chunk>{};
  const ReadChunk asked = pending_reads_.front();
  if (offset != asked.offset || bytes.size() != asked.length)
    return "reading '" + asked.source + "' gave " + std::to_string(bytes.size()) + " bytes at offset " +
           std::to_string(offset) + " where " + std::to_string(asked.length) + " bytes at offset " +
           std::to_string(asked.offset) + " were expected (did the file change while it was sent?)";
  pending_reads_.pop_front();

  Current& current = *current_;
  current.hash.update_zeros(offset - current.hashed);
  current.hashed = offset + bytes.size();
  uint32_t check = 0;
  switch (chunk_check_of(settings_)) {
    case ChunkCheck::xxh3: {
      const Digest own = hash ? *hash : chunk_hash(bytes);
      current.hash.add_chunk(offset, bytes.size(), own);
      check = chunk_check(own);
      break;
    }
    case ChunkCheck::crc32c:
      current.hash.update(bytes);
      check = crc32c(bytes);
      break;
    case ChunkCheck::none:
      current.hash.update(bytes);
      break;
  }
  return std::optional<Chunk>(Chunk{session_, file, attempt, offset, check, bytes.size()});
}

std::string SendSide::on_retry(const Retry& retry, uint64_t max_retries) {
  const std::string name = "STREAM_RETRY of file " + std::to_string(retry.file) + " attempt " +
                           std::to_string(retry.attempt);
  if (retry.file >= files_.size())
    return name + ", but this side sends " + std::to_string(files_.size()) + " files";
  Outgoing& outgoing = state_[retry.file];
  if ((outgoing.phase != Phase::sending && outgoing.phase != Phase::sent) || outgoing.attempt != retry.attempt)
    return name + ", which is not the attempt last sent";
  if (retry.attempt >= max_retries)
    return name + ", beyond the session's max_retries of " + std::to_string(max_retries);
  if (current_ && current_->file == retry.file) {
    current_.reset();
    pending_reads_.clear();
  }
  outgoing.phase = Phase::queued;
  ++outgoing.attempt;
  queue_.push_front(retry.file);
  ++retries_;
  return {};
}

std::string SendSide::on_committed(const FileCommitted& committed) {
  const std::string name = "STREAM_FILE_COMMITTED of file " + std::to_string(committed.file);
  if (committed.file >= files_.size())
    return name + ", but this side sends " + std::to_string(files_.size()) + " files";
  Outgoing& outgoing = state_[committed.file];
  if (outgoing.phase == Phase::committed) return name + ", which is already committed";
  if (outgoing.phase != Phase::sent) return name + " before its STREAM_FILE_DONE was sent";
  outgoing.phase = Phase::committed;
  ++committed_;
  if (!outgoing.skipped) ++sent_committed_;
  return {};
}

}  // namespace ferry::stream
