// Drives one stream::Session (docs/streaming.md, "The driver's side"): sends the messages it asks for,
// runs its sink calls in order on a serial queue of the worker pool, reads the chunks it sends with pread
// on the pool, up to SendSide::kReadsAhead at once (for their CRC32C and the file digest; the payload then
// travels as a range of the open file, which a plaintext connection sends with sendfile, or, to a peer
// reached over TLS, as the bytes read), and keeps at most kBytesInFlight of chunk bytes (and
// kChunksInFlight chunks) read or unacknowledged, so that a session holds a few MiB whatever the file size.
//
// Thread safety: none of its own; the stream service calls it, and its callbacks re-enter it, under the
// service's lock (ServiceLock).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "comm/delivery_queue.hpp"
#include "comm/payload.hpp"
#include "node/session_report.hpp"
#include "plugin/sink_instance.hpp"
#include "stream/session.hpp"
#include "util/unique_fd.hpp"

namespace ferry::node {

class SerialQueue;
class SessionDriver;

// A chunk's bytes in a buffer lent by a pool (ChunkBuffers): as they arrived, until the sink has written
// them; or as read from a source file, until they are sent.
struct ChunkBuffer {
  std::vector<uint8_t> bytes;
  std::function<void(std::vector<uint8_t>&&)> release;  // given the bytes when the last reference goes
  ~ChunkBuffer() {
    if (release) release(std::move(bytes));
  }
};

// The stream service's lock, shared with the callbacks that may outlive the service (completions of
// sends, tasks on the worker pool): once closed, work given to it is dropped.
class ServiceLock {
 public:
  void run(const std::function<void()>& work) {
    std::lock_guard lock(mutex_);
    if (open_) work();
  }
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  std::mutex& mutex() { return mutex_; }
  bool open() const { return open_; }  // under mutex()

 private:
  std::mutex mutex_;
  bool open_ = true;
};

// What a driver needs from the service that owns it; called only under the service's lock.
class DriverHost {
 public:
  virtual ~DriverHost() = default;
  virtual void send(const std::string& peer, const stream::StreamMessage& message, comm::Payload payload,
                    comm::Completion completion) = 0;
  // Blocking work on the worker pool, and a queue that runs tasks one at a time in order.
  virtual void post_blocking(std::function<void()> task) = 0;
  virtual std::shared_ptr<SerialQueue> serial_queue() = 0;
  virtual std::shared_ptr<ServiceLock> lock() = 0;
  // The node's bound on chunk bytes read or unacknowledged, over all sessions.
  virtual bool reserve_send_bytes(uint64_t bytes) = 0;
  virtual void release_send_bytes(uint64_t bytes) = 0;
  // stream.throughput_limit: how long a chunk of bytes must wait before it is read and sent.
  virtual std::chrono::steady_clock::duration throttle(uint64_t bytes) = 0;
  // Runs work under the service's lock after delay; dropped when the node stops first.
  virtual void after(std::chrono::steady_clock::duration delay, std::function<void()> work) = 0;
  // A chunk's payload just before it is sent, for the test-only fault injection (ChunkCorruption): true
  // when it changed the bytes, which must then travel as they are rather than be read from the file again.
  virtual bool before_chunk_sent(std::span<uint8_t> payload) = 0;
  // A buffer of `length` bytes to read a chunk into. Thread-safe.
  virtual std::shared_ptr<ChunkBuffer> send_buffer(uint64_t length) = 0;
  // Chunks to `peer` travel as the bytes read for their checks, lent until written (comm::LentBytes),
  // rather than as the file's range: its connection does not use sendfile (TLS, a peer on this machine, or
  // communication.sendfile), so it would read the range into memory once more.
  virtual bool sends_from_memory(const std::string& peer) = 0;
  // The session reached COMPLETE or FAILED and its driver has carried out its last effects.
  virtual void finished(SessionDriver& driver) = 0;
};

class SessionDriver : public std::enable_shared_from_this<SessionDriver> {
 public:
  // The bound is on bytes: the peer acknowledges every ack_threshold messages, every 2 MiB of payload or
  // after ack_interval, so a count of a few chunks, reached by a few small files, would stall the session
  // until the interval passed. The count only keeps small chunks from flooding the message queue. 8 MiB
  // keeps reads going while the acknowledgement of the previous 2 MiB is on its way (with 4 the writer
  // of a TLS connection waited for chunks at almost every chunk).
  static constexpr uint64_t kBytesInFlight = 8u << 20;
  static constexpr uint64_t kChunksInFlight = 256;
  using Finished = std::function<void(const SessionReport&)>;

  SessionDriver(DriverHost& host, std::string peer, std::unique_ptr<stream::Session> session,
                std::shared_ptr<plugin::SinkInstance> sink, std::string sink_name, Finished on_finished);

  stream::Session& session() { return *session_; }
  const std::string& peer() const { return peer_; }
  // Follower: the initiator's STREAM_PREPARE.
  void follow(const stream::Prepare& prepare, stream::ExportResolver& exports);
  // Notes what a message from the peer says about progress, then hands it to the session.
  void on_message(const stream::StreamMessage& message);
  // A whole chunk (message and payload) from the peer, with the checks computed over it as it arrived.
  void on_chunk(const stream::Chunk& chunk, std::shared_ptr<ChunkBuffer> payload, const stream::ArrivalChecks& computed);
  // Carries out what the session asked for and moves the data path on. Call after every input.
  void run();
  // The session's totals as announced: what this side sends and what it receives.
  void set_totals(uint64_t send_files, uint64_t send_bytes);
  // Starts a read that waited for the node's send bound; false while it still has to wait.
  bool resume_read();
  bool waiting_for_room() const { return waiting_read_.has_value(); }
  SessionReport report() const;

 private:
  void carry_out(const stream::SinkCall& call);
  void pump();
  void hash(const stream::HashFile& step);
  void read(const stream::ReadChunk& read);
  void start_read(const stream::ReadChunk& read);
  void post_read(const stream::ReadChunk& read, uint64_t id);
  // The source file of one attempt, open: a retry opens the file again, in case it was replaced.
  struct Source {
    uint64_t file = 0;
    uint64_t attempt = 0;
    std::shared_ptr<const util::UniqueFd> fd;
  };
  // A read done, as the worker pool finished it: reads may finish out of order, and go to the session
  // in the order they were asked. hash: the chunk_hash, taken by the reader while the bytes are in its
  // cache and outside the service's lock, where the session checks chunks that way.
  struct ReadDone {
    stream::ReadChunk step;
    Source source;
    std::shared_ptr<ChunkBuffer> buffer;
    std::string failure;
    std::optional<stream::Digest> hash;
  };
  void read_done(uint64_t id, ReadDone done);
  void chunk_read(ReadDone done);
  void send_message(const stream::StreamMessage& message);
  void sink_result(stream::SinkResult result);
  void note_sent(const stream::StreamMessage& message);

  DriverHost& host_;  // valid whenever the service lock is open
  std::shared_ptr<ServiceLock> lock_;
  std::string peer_;
  std::unique_ptr<stream::Session> session_;
  std::shared_ptr<plugin::SinkInstance> sink_;
  std::shared_ptr<SerialQueue> sink_queue_;
  struct OpenFiles;
  std::shared_ptr<OpenFiles> open_files_;  // used only by tasks on sink_queue_
  Finished on_finished_;
  std::shared_ptr<ChunkBuffer> arriving_;  // the payload the session is handling now
  bool hash_pending_ = false;  // a hash asked for by the session and not yet handed back
  uint64_t reads_pending_ = 0;  // reads asked for by the session and not yet handed back
  std::optional<stream::ReadChunk> waiting_read_;  // asked for, waiting for the node's send bound
  uint64_t next_read_id_ = 0;      // given to each read as it starts
  uint64_t next_read_to_hand_ = 0;  // the id of the read the session gets next
  std::map<uint64_t, ReadDone> reads_done_;  // finished out of order, waiting for the reads before them
  Source source_;  // the attempt read last, kept open for its next chunk
  uint64_t chunks_in_flight_ = 0;
  uint64_t bytes_in_flight_ = 0;
  bool reported_ = false;
  SessionReport report_;
};

}  // namespace ferry::node
