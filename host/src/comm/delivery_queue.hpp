// Acknowledged, in-order, exactly-once delivery over a sequence of connections: the state of one link
// (a peer and a connection index) that survives the loss of any one connection, as long as both
// processes live. Sans-I/O: the connection code asks what to write next and reports acks, losses and
// reconnects; this class decides what is resent, what completes and when producers must wait.
//
// Every message gets a sequence number when it is queued (1, 2, ...). The peer counts what it has
// received on the link; an ACK carrying that count completes every message up to it. A lost connection
// rewinds the write cursor to the first unacknowledged message; a reconnect first drops what the peer
// reports as received (completing it), then resends the rest before anything new.
//
// Bounds: at most queue_limit messages wait to be written for the first time, and at most unacked_limit
// messages are written but unacknowledged; the writer stops at that bound, which is the back-pressure a
// stalled receiver exerts. Every completion is called exactly once.
//
// Thread safety: none; one link is driven by one thread (its connection's I/O thread) at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "util/ring_queue.hpp"

namespace ferry::comm {

struct SendResult {
  bool delivered = false;
  std::string reason;  // why it failed; empty when delivered
  // The link refused the message at once because its queue was full (see Link::offer): nothing was
  // sent, and sending again later may succeed.
  bool queue_full = false;
  // Delivered: when the acknowledgement was handled, read once for all the messages it completes, so
  // that a producer timing its messages needs no clock of its own per completion.
  std::chrono::steady_clock::time_point acknowledged_at{};
};

using Completion = std::function<void(const SendResult&)>;

template <typename Message>
class DeliveryQueue {
 public:
  struct Limits {
    size_t queue_limit;
    size_t unacked_limit;
  };

  struct Entry {
    uint64_t sequence;
    Message message;
    Completion completion;
  };

  explicit DeliveryQueue(Limits limits) : limits_(limits) {}
  ~DeliveryQueue() { fail_all("the link was closed"); }
  DeliveryQueue(const DeliveryQueue&) = delete;
  DeliveryQueue& operator=(const DeliveryQueue&) = delete;

  // False when queue_limit messages already wait to be written; message and completion are then left
  // untouched, so the caller still owns them.
  bool enqueue(Message&& message, Completion&& completion) {
    if (waiting() >= limits_.queue_limit) return false;
    entries_.push_back(Entry{++last_queued_, std::move(message), std::move(completion)});
    return true;
  }

  // The next message to write on the current connection, or null when there is none or the unacked
  // bound is reached. Call mark_written() after handing it to the connection.
  const Entry* next_to_write() const {
    if (written_ - acknowledged_ >= limits_.unacked_limit) return nullptr;
    const size_t index = written_ - acknowledged_;
    return index < entries_.size() ? &entries_[index] : nullptr;
  }
  Entry* next_to_write() { return const_cast<Entry*>(std::as_const(*this).next_to_write()); }
  // True when the message had been written before, on an earlier connection: a resend.
  bool mark_written() {
    ++written_;
    if (written_ <= high_water_) return true;
    high_water_ = written_;
    return false;
  }

  // The peer has received `received` messages of this link in total. Counts that go backwards or
  // beyond anything ever written are protocol errors; the caller closes the connection (false). A count
  // beyond the current write cursor is valid: after a reconnect with a stale count, the peer already
  // had messages that are queued to be resent, and they need not be.
  // `now` is passed to the completions as SendResult::acknowledged_at.
  bool acknowledge(uint64_t received, std::chrono::steady_clock::time_point now = {}) {
    if (received < acknowledged_ || received > high_water_) return false;
    complete_up_to(received, now);
    if (written_ < received) written_ = received;
    return true;
  }

  // The connection is gone: everything written but unacknowledged will be written again.
  void connection_lost() { written_ = acknowledged_; }

  // A new connection reached the same peer process, which reports how many messages it has received.
  // Messages up to that count are complete; the rest is resent before anything new. False when the
  // count is impossible (beyond anything ever written, or below what it acknowledged before). The count
  // may be stale (another connection of the link delivered more since); the receiver skips the repeats.
  bool reconnected(uint64_t peer_received, std::chrono::steady_clock::time_point now = {}) {
    written_ = acknowledged_;
    if (peer_received < acknowledged_ || peer_received > high_water_) return false;
    written_ = peer_received;
    complete_up_to(peer_received, now);
    return true;
  }

  // Fails every pending message with reason (peer left, reconnects exhausted, node stopping, the peer
  // restarted) and starts the link afresh: the next peer process counts from zero.
  void fail_all(const std::string& reason) {
    util::RingQueue<Entry> failed = std::move(entries_);
    acknowledged_ = written_ = high_water_ = last_queued_ = 0;
    for (; !failed.empty(); failed.pop_front())
      if (failed.front().completion) failed.front().completion(SendResult{false, reason});
  }

  size_t waiting() const { return static_cast<size_t>(last_queued_ - written_); }
  size_t unacknowledged() const { return static_cast<size_t>(written_ - acknowledged_); }
  bool idle() const { return entries_.empty(); }
  uint64_t acknowledged() const { return acknowledged_; }

 private:
  void complete_up_to(uint64_t received, std::chrono::steady_clock::time_point now) {
    while (acknowledged_ < received) {
      // Only the completion leaves the queue before it is called, which may queue more and so move the
      // entries; the message goes with its slot.
      Completion completion = std::move(entries_.front().completion);
      entries_.pop_front();
      ++acknowledged_;
      if (completion) completion(SendResult{true, {}, false, now});
    }
  }

  Limits limits_;
  util::RingQueue<Entry> entries_;  // sequences acknowledged_+1 .. last_queued_
  uint64_t acknowledged_ = 0;  // the peer has received 1..acknowledged_
  uint64_t written_ = 0;       // 1..written_ were written on the current connection (or before)
  uint64_t high_water_ = 0;    // the most ever written, across connections
  uint64_t last_queued_ = 0;
};

// The receiving half of a link: counts what arrived and decides when to acknowledge.
class ReceiveCounter {
 public:
  // A sender holds each payload until it is acknowledged: after this many payload bytes an ACK goes out
  // whatever ack_threshold says, so that a producer keeping a few chunks in flight is never held back
  // by acknowledgements that wait for more messages than it may send.
  static constexpr uint64_t kAckPayloadBytes = 2u << 20;

  explicit ReceiveCounter(uint64_t ack_threshold) : ack_threshold_(ack_threshold) {}

  void received_one(uint64_t payload_bytes = 0) {
    ++received_;
    payload_bytes_ += payload_bytes;
  }
  uint64_t received() const { return received_; }
  // True when ack_threshold messages, or kAckPayloadBytes of payload, arrived since the last ACK was sent.
  bool ack_due() const {
    return holds_ == 0 && (received_ - acknowledged_ >= ack_threshold_ ||
                           (received_ > acknowledged_ && payload_bytes_ >= kAckPayloadBytes));
  }
  // True when something arrived that was not acknowledged yet (the idle timer sends it).
  bool ack_pending() const { return holds_ == 0 && received_ > acknowledged_; }
  // A handshake of the link reported received() to the peer, which will resend what follows that count
  // and completes nothing beyond it. An ACK sent meanwhile on an older connection could complete more
  // than the handshake said, and the repeats skipped after it would no longer match what is resent; so
  // no ACK leaves until every handshake under way has ended (release()).
  void hold() { ++holds_; }
  void release() {
    if (holds_ > 0) --holds_;
  }
  void ack_sent() {
    acknowledged_ = received_;
    payload_bytes_ = 0;
  }
  // After a handshake the peer knows the count this node told it, which may be below received().
  void peer_knows(uint64_t count) { acknowledged_ = count < received_ ? count : received_; }
  // The peer process restarted: its messages are counted afresh.
  void reset() { received_ = acknowledged_ = payload_bytes_ = 0; }

 private:
  uint64_t ack_threshold_;
  uint32_t holds_ = 0;
  uint64_t received_ = 0;
  uint64_t acknowledged_ = 0;
  uint64_t payload_bytes_ = 0;  // since the last ACK
};

}  // namespace ferry::comm
