#include "node/session_driver.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <map>
#include <type_traits>
#include <utility>

#include "handshake/text.hpp"
#include "log/logging.hpp"
#include "node/stream_metrics.hpp"
#include "node/worker_pool.hpp"
#include "stream/sha256.hpp"
#include "util/unique_fd.hpp"

namespace ferry::node {

// The sink files of the attempts being received, by (file, attempt); touched only on the sink queue.
// A sink takes a file's bytes in order, all of them: the holes of a sparse file, which do not travel,
// are written to it as zeros (a sink may skip storing them, as fs does).
struct SessionDriver::OpenFiles {
  struct Open {
    std::unique_ptr<plugin::SinkFile> file;
    uint64_t size = 0;
    uint64_t position = 0;  // the sink has every byte before this

    std::optional<plugin::PluginError> zeros_up_to(uint64_t end) {
      static const std::vector<uint8_t> zeros(1u << 20, 0);
      while (position < end) {
        const uint64_t length = std::min<uint64_t>(zeros.size(), end - position);
        if (auto failure = file->write(position, {zeros.data(), static_cast<size_t>(length)})) return failure;
        position += length;
      }
      return std::nullopt;
    }
  };
  std::map<std::pair<uint64_t, uint64_t>, Open> files;
};

namespace {

// Opens a source file for reading, or says why not.
std::string open_source(const std::string& source, util::UniqueFd& fd) {
  fd.reset(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return "cannot open '" + source + "': " + std::strerror(errno);
  return {};
}

// Reads bytes.size() bytes at offset, fewer where the file ends, or says why not.
std::string read_at(const util::UniqueFd& fd, const std::string& source, uint64_t offset,
                    std::vector<uint8_t>& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::pread(fd.get(), bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return "cannot read '" + source + "': " + std::strerror(errno);
    if (got == 0) break;  // the file shrank: the session names the short read
    done += static_cast<size_t>(got);
  }
  bytes.resize(done);
  return {};
}

// The SHA-256 of a file's content as a receiver will hold it: its data ranges read, the holes between
// them as zeros; or why it cannot be read. A file that shrank while it was read fails here.
std::string hash_file(const stream::HashFile& step, stream::Digest& digest) {
  constexpr uint64_t kPiece = 1u << 20;
  stream::Sha256 hash;
  util::UniqueFd fd;
  if (std::string failure = open_source(step.source, fd); !failure.empty()) return failure;
  std::vector<uint8_t> bytes;
  uint64_t hashed = 0;
  for (const stream::ByteRange& range : step.ranges) {
    hash.update_zeros(range.offset - hashed);
    for (uint64_t offset = range.offset; offset < range.offset + range.length; offset += bytes.size()) {
      bytes.resize(std::min(kPiece, range.offset + range.length - offset));
      const size_t wanted = bytes.size();
      if (std::string failure = read_at(fd, step.source, offset, bytes); !failure.empty()) return failure;
      if (bytes.size() != wanted)
        return "'" + step.source + "' ended at offset " + std::to_string(offset + bytes.size()) +
               " while it was hashed, before its size of " + std::to_string(step.size) + " bytes";
      hash.update(bytes);
    }
    hashed = range.offset + range.length;
  }
  hash.update_zeros(step.size - hashed);
  digest = hash.finish();
  return {};
}

}  // namespace

SessionDriver::SessionDriver(DriverHost& host, std::string peer, std::unique_ptr<stream::Session> session,
                             std::shared_ptr<plugin::SinkInstance> sink, std::string sink_name, Finished on_finished)
    : host_(host),
      lock_(host.lock()),
      peer_(std::move(peer)),
      session_(std::move(session)),
      sink_(std::move(sink)),
      sink_queue_(host.serial_queue()),
      open_files_(std::make_shared<OpenFiles>()),
      on_finished_(std::move(on_finished)) {
  report_.session = handshake::to_string(session_->id());
  report_.peer = peer_;
  report_.sink = std::move(sink_name);
  report_.role = session_->role();
}

void SessionDriver::set_totals(uint64_t send_files, uint64_t send_bytes) {
  report_.files_to_send = send_files;
  report_.bytes_to_send = send_bytes;
}

void SessionDriver::follow(const stream::Prepare& prepare, stream::ExportResolver& exports) {
  report_.files_to_receive = prepare.files;
  report_.bytes_to_receive = prepare.bytes;
  session_->follow(prepare, exports);
  run();
}

void SessionDriver::on_message(const stream::StreamMessage& message) {
  std::visit(
      [this](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, stream::Prepare>) {
          report_.files_to_receive = m.files;
          report_.bytes_to_receive = m.bytes;
        } else if constexpr (std::is_same_v<T, stream::PrepareAck>) {
          report_.files_to_receive = m.files;
          report_.bytes_to_receive = m.bytes;
        } else if constexpr (std::is_same_v<T, stream::Retry>) {
          stream_metrics().retries_asked_by_peer.add();
          ferry::log::get("stream")->warn("session {}: peer {} asks for file {} again after attempt {} failed: {}",
                                          report_.session, peer_, m.file, m.attempt, m.reason);
        }
      },
      message);
  session_->on_message(message);
  run();
}

void SessionDriver::on_chunk(const stream::Chunk& chunk, std::shared_ptr<ChunkBuffer> payload,
                             const stream::ArrivalChecks& computed) {
  session_->on_message(chunk);
  arriving_ = std::move(payload);
  stream_metrics().bytes_received.add(arriving_->bytes.size());
  session_->on_payload(arriving_->bytes, computed);
  run();
  arriving_.reset();
}

void SessionDriver::note_sent(const stream::StreamMessage& message) {
  if (const auto* retry = std::get_if<stream::Retry>(&message)) {
    stream_metrics().retries_asked.add();
    ferry::log::get("stream")->warn("session {}: file {} attempt {} failed, asking peer {} to send it again: {}",
                                    report_.session, retry->file, retry->attempt, peer_, retry->reason);
  }
  if (const auto* ack = std::get_if<stream::PrepareAck>(&message)) set_totals(ack->files, ack->bytes);
}

void SessionDriver::run() {
  stream::Effects effects = session_->take_effects();
  for (const auto& message : effects.messages) {
    note_sent(message);
    send_message(message);
  }
  for (const auto& call : effects.sink_calls) carry_out(call);
  pump();
  if (session_->finished() && !reported_) {
    // The last effects (STREAM_FAILED, aborts) are on their way; nothing more will be asked of this driver.
    reported_ = true;
    host_.finished(*this);
    if (on_finished_) on_finished_(report());
  }
}

void SessionDriver::send_message(const stream::StreamMessage& message) {
  auto self = shared_from_this();
  host_.send(peer_, message, {}, [self](const comm::SendResult& result) {
    if (result.delivered) return;
    self->lock_->run([self, reason = result.reason] {
      self->session_->fail("cannot reach peer " + self->peer_ + ": " + reason, false);
      self->run();
    });
  });
}

void SessionDriver::carry_out(const stream::SinkCall& call) {
  auto self = shared_from_this();
  auto files = open_files_;
  auto sink = sink_;
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        const auto key = std::make_pair(c.file, c.attempt);
        if constexpr (std::is_same_v<T, stream::SinkOpen>) {
          plugin::FileSpec spec{c.path, c.size, c.mode, c.mtime_ns, {}};
          sink_queue_->post([self, files, sink, key, spec, digest = c.digest]() mutable {
            spec.digest = digest;
            stream::SinkResult result{key.first, key.second, stream::SinkOp::open, std::nullopt};
            if (!sink) {
              result.error = "this side has no sink to receive files into";
            } else {
              auto opened = sink->open(spec);
              if (auto* failure = std::get_if<plugin::PluginError>(&opened))
                result.error = failure->message;
              else
                files->files[key] = OpenFiles::Open{std::move(std::get<0>(opened)), spec.size, 0};
            }
            self->sink_result(std::move(result));
          });
        } else if constexpr (std::is_same_v<T, stream::SinkWrite>) {
          // The bytes live in the chunk that arrived (kept until written), or are copied when they do not.
          std::shared_ptr<ChunkBuffer> holder = arriving_;
          const uint8_t* begin = holder ? holder->bytes.data() : nullptr;
          const bool inside = holder && c.data.data() >= begin && c.data.data() + c.data.size() <= begin + holder->bytes.size();
          if (!inside) {
            holder = std::make_shared<ChunkBuffer>();
            holder->bytes.assign(c.data.begin(), c.data.end());
          }
          const size_t from = inside ? static_cast<size_t>(c.data.data() - begin) : 0;
          const size_t length = c.data.size();
          const uint64_t offset = c.offset;
          sink_queue_->post([self, files, key, holder, from, length, offset] {
            stream::SinkResult result{key.first, key.second, stream::SinkOp::write, std::nullopt};
            const auto found = files->files.find(key);
            if (found == files->files.end()) {
              result.error = "the file is not open";
            } else {
              OpenFiles::Open& open = found->second;
              auto failure = open.zeros_up_to(offset);
              if (!failure) failure = open.file->write(offset, {holder->bytes.data() + from, length});
              if (failure)
                result.error = failure->message;
              else
                open.position = offset + length;
            }
            self->sink_result(std::move(result));
          });
        } else if constexpr (std::is_same_v<T, stream::SinkCommit>) {
          sink_queue_->post([self, files, key] {
            stream::SinkResult result{key.first, key.second, stream::SinkOp::commit, std::nullopt};
            const auto found = files->files.find(key);
            if (found == files->files.end()) {
              result.error = "the file is not open";
            } else {
              OpenFiles::Open& open = found->second;
              auto failure = open.zeros_up_to(open.size);
              if (!failure) failure = open.file->commit();
              if (failure) result.error = failure->message;
              files->files.erase(found);
            }
            self->sink_result(std::move(result));
          });
        } else if constexpr (std::is_same_v<T, stream::SinkLookup>) {
          sink_queue_->post([self, sink, key, path = c.path, size = c.size] {
            stream::SinkResult result{key.first, key.second, stream::SinkOp::lookup, std::nullopt};
            if (!sink) {
              result.error = "this side has no sink to receive files into";
            } else {
              auto found = sink->lookup(path);
              if (auto* failure = std::get_if<plugin::PluginError>(&found)) {
                result.error = failure->message;
              } else if (const auto& held = std::get<std::optional<plugin::HeldFile>>(found)) {
                if (held->size == size) result.held_digest = held->digest;
              }
            }
            self->sink_result(std::move(result));
          });
        } else {
          sink_queue_->post([files, key] {
            const auto found = files->files.find(key);
            if (found == files->files.end()) return;
            found->second.file->abort();
            files->files.erase(found);
          });
        }
      },
      call);
}

void SessionDriver::sink_result(stream::SinkResult result) {
  auto self = shared_from_this();
  lock_->run([self, result = std::move(result)] {
    self->session_->on_sink_result(result);
    self->run();
  });
}

void SessionDriver::pump() {
  while (!hash_pending_ && !waiting_read_ && chunks_in_flight_ < kChunksInFlight &&
         bytes_in_flight_ < kBytesInFlight && !session_->finished()) {
    std::optional<stream::SendStep> step = session_->next_send();
    if (!step) return;
    if (auto* read_step = std::get_if<stream::ReadChunk>(&*step)) {
      read(*read_step);
      continue;
    }
    if (auto* hash_step = std::get_if<stream::HashFile>(&*step)) {
      hash(*hash_step);
      return;
    }
    std::visit(
        [this](const auto& s) {
          using T = std::decay_t<decltype(s)>;
          if constexpr (!std::is_same_v<T, stream::ReadChunk> && !std::is_same_v<T, stream::HashFile>)
            send_message(s);
        },
        *step);
  }
}

void SessionDriver::hash(const stream::HashFile& step) {
  hash_pending_ = true;
  auto self = shared_from_this();
  host_.post_blocking([self, step] {
    stream::Digest digest;
    std::string failure = hash_file(step, digest);
    self->lock_->run([self, step, digest = std::move(digest), failure = std::move(failure)]() mutable {
      self->hash_pending_ = false;
      if (failure.empty())
        self->session_->file_hashed(step.file, step.attempt, std::move(digest));
      else
        self->session_->source_failed(failure);
      self->run();
    });
  });
}

void SessionDriver::read(const stream::ReadChunk& step) {
  ++reads_pending_;
  if (!host_.reserve_send_bytes(step.length)) {
    // The node's bound is reached: the read waits until chunks of some session are acknowledged. The
    // session asked for this read and will not ask again, so it is kept here.
    waiting_read_ = step;
    return;
  }
  start_read(step);
}

bool SessionDriver::resume_read() {
  if (!waiting_read_) return true;
  if (session_->finished()) {
    waiting_read_.reset();
    --reads_pending_;
    return true;
  }
  if (!host_.reserve_send_bytes(waiting_read_->length)) return false;
  const stream::ReadChunk step = *waiting_read_;
  waiting_read_.reset();
  start_read(step);
  return true;
}

void SessionDriver::start_read(const stream::ReadChunk& step) {
  ++chunks_in_flight_;
  bytes_in_flight_ += step.length;
  const uint64_t id = next_read_id_++;
  const auto wait = host_.throttle(step.length);
  if (wait <= std::chrono::steady_clock::duration::zero()) {
    post_read(step, id);
    return;
  }
  host_.after(wait, [self = shared_from_this(), step, id] { self->post_read(step, id); });
}

void SessionDriver::post_read(const stream::ReadChunk& step, uint64_t id) {
  auto self = shared_from_this();
  Source source = source_.fd && source_.file == step.file && source_.attempt == step.attempt ? source_ : Source{};
  const bool hash = session_->chunk_check() == stream::ChunkCheck::xxh3;
  host_.post_blocking([self, id, hash,
                       done = ReadDone{step, std::move(source), host_.send_buffer(step.length), {}, {}}]() mutable {
    if (!done.source.fd) {
      auto fd = std::make_shared<util::UniqueFd>();
      done.failure = open_source(done.step.source, *fd);
      done.source = Source{done.step.file, done.step.attempt, std::move(fd)};
    }
    if (done.failure.empty())
      done.failure = read_at(*done.source.fd, done.step.source, done.step.offset, done.buffer->bytes);
    if (done.failure.empty() && hash) done.hash = stream::chunk_hash(done.buffer->bytes);
    self->lock_->run([self, id, done = std::move(done)]() mutable { self->read_done(id, std::move(done)); });
  });
}

void SessionDriver::read_done(uint64_t id, ReadDone done) {
  reads_done_.emplace(id, std::move(done));
  for (auto next = reads_done_.find(next_read_to_hand_); next != reads_done_.end();
       next = reads_done_.find(next_read_to_hand_)) {
    ReadDone ready = std::move(next->second);
    reads_done_.erase(next);
    ++next_read_to_hand_;
    --reads_pending_;
    chunk_read(std::move(ready));
  }
  run();
}

void SessionDriver::chunk_read(ReadDone done) {
  const stream::ReadChunk& step = done.step;
  std::shared_ptr<ChunkBuffer> buffer = std::move(done.buffer);
  Source source = std::move(done.source);
  std::optional<stream::Chunk> chunk;
  if (!done.failure.empty())
    session_->source_failed(done.failure);
  else
    chunk = session_->chunk_read(step.file, step.attempt, step.offset, buffer->bytes, done.hash);
  if (!chunk) {
    --chunks_in_flight_;
    bytes_in_flight_ -= step.length;
    host_.release_send_bytes(step.length);
    return;
  }
  auto self = shared_from_this();
  const uint64_t length = step.length;
  const uint64_t sent = buffer->bytes.size();
  // The bytes were read for the chunk's check and the file digest. To a connection that uses sendfile
  // what travels is the file's range, sent from the page cache; otherwise the bytes travel themselves,
  // lent until written (a resend reads the file again), or for good when changed on purpose.
  comm::Payload payload;
  const comm::FileRange range{source.fd, step.offset, sent};
  if (host_.before_chunk_sent(buffer->bytes))
    payload = std::shared_ptr<const std::vector<uint8_t>>(buffer, &buffer->bytes);
  else if (host_.sends_from_memory(peer_))
    payload = comm::LentBytes{std::shared_ptr<const std::vector<uint8_t>>(buffer, &buffer->bytes), range};
  else
    payload = range;
  buffer.reset();  // a file range's buffer goes back to the pool now, lent bytes once written
  source_ = std::move(source);
  host_.send(peer_, *chunk, std::move(payload), [self, length, sent](const comm::SendResult& result) {
    self->lock_->run([self, length, sent, result] {
      --self->chunks_in_flight_;
      self->bytes_in_flight_ -= length;
      self->host_.release_send_bytes(length);
      if (result.delivered) {
        self->report_.bytes_sent += sent;
        stream_metrics().bytes_sent.add(sent);
      } else {
        self->session_->fail("cannot reach peer " + self->peer_ + ": " + result.reason, false);
      }
      self->run();
    });
  });
}

SessionReport SessionDriver::report() const {
  SessionReport report = report_;
  report.state = session_->state();
  report.reason = session_->failure_reason();
  report.retries = session_->retries();
  report.bytes_received = session_->bytes_received();
  report.skipped = session_->files_skipped();
  report.bytes_skipped = session_->bytes_skipped();
  report.files_sent = session_->files_sent();
  report.files_received = session_->files_received();
  // COMPLETE means the peer committed every file this side sent, so all of it arrived, even when the
  // acknowledgements of the last chunks are still on their way (they come every 2 MiB or after an idle
  // interval, and may follow the peer's complete message).
  if (report.state == stream::State::complete)
    report.bytes_sent = report.bytes_to_send - session_->send_bytes_skipped();
  report.elapsed = std::chrono::steady_clock::now() - report.started;
  return report;
}

}  // namespace ferry::node
