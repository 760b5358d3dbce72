// One established connection (after the handshake) of a link: a read loop that decodes with the
// negotiated codec stream, a write loop that drains the link's delivery queue, and acknowledgements
// every ack_threshold messages or after ack_interval. Everything runs on the communicator's strand, so
// the link needs no lock. Internal to the comm module: it includes Asio.
#pragma once

#include <utility>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <span>
#include <memory>
#include <optional>
#include <span>

#include "comm/channel.hpp"
#include "comm/link.hpp"
#include "comm/payload_target.hpp"
#include "comm/write_batch.hpp"
#include "plugin/codec_instance.hpp"
#include "protocol/message.hpp"

namespace ferry::comm {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

struct ConnectionSettings {
  std::chrono::milliseconds ack_interval{100};
  size_t max_message_size = 16u << 20;
  size_t write_batch = 256u << 10;  // bytes gathered into one write
  std::chrono::milliseconds idle_timeout{0};  // 0 = never close for idleness
  // This node may close the connection when idle: it initiated it and listens, so either side can reopen it.
  bool may_close_idle = false;
  // File chunks go from the page cache to the socket with sendfile: the transport's descriptors take it
  // (FERRY_TRANSPORT_FLAG_SENDFILE) and communication.sendfile chose it for this connection. Otherwise
  // they are read into the batch.
  bool sendfile = false;
  // Payloads follow their message raw (stable mode): the rest of one may be read straight into the memory
  // the payload_target handler names.
  bool payload_in_place = false;
};

struct ConnectionInfo {
  std::string transport, peer_address, local_address, codec_version, mode, features;
  std::string tls = "none";  // "TLSv1.3 TLS_AES_256_GCM_SHA384" when the connection is encrypted
  bool initiated = false;  // this node opened the connection
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // A received message that is not the layer's own (ACK, NODE_STOPPING, IDLE_CLOSE): DATA, PING, PONG,
  // the streaming messages. (NODE_STOPPING and IDLE_CLOSE reach it too, for the communicator's notes.)
  using MessageHandler = std::function<void(Link&, const protocol::MessageView&)>;
  // The next piece of the payload of the message handed over last; valid only during the call.
  using PayloadHandler = std::function<void(Link&, std::span<const uint8_t>)>;
  // Asked before each message and payload piece: false pauses reading (polled) until it answers true.
  using ReadGate = std::function<bool()>;
  // Called once, on the strand, when the connection has ended; reason says why.
  using CloseHandler = std::function<void(Connection&, const std::string& reason)>;
  // Called with true before the read loop hands over what one read brought, and with false once it has
  // (before it waits for anything): what the handlers send in between can leave in one write.
  using ReadPhase = std::function<void(bool handling)>;
  // Where the rest of the payload of the message handed over last may be read to; its pieces then reach
  // on_payload where they lie in that memory. Asked only with ConnectionSettings::payload_in_place.
  using PayloadTargetHandler = std::function<PayloadTarget(Link&)>;

  struct Handlers {
    MessageHandler on_message;
    PayloadHandler on_payload;
    CloseHandler on_close;
    ReadGate may_read;
    ReadPhase on_reading;
    PayloadTargetHandler payload_target;
  };

  Connection(Strand strand, Channel channel, std::unique_ptr<plugin::CodecStream> codec,
             Link& link, ConnectionSettings settings, ConnectionInfo info, std::vector<uint8_t> leftover);
  ~Connection();

  // Starts the loops; on_close fires exactly once when they end.
  void start(Handlers handlers);
  // New messages were queued on the link: let the writer look. A parked writer's socket is written at
  // once, from here; while the read loop hands over messages, only once it has handed over the last.
  void wake();
  // Ends the connection (idempotent); on_close then fires with reason.
  void close(const std::string& reason);
  // Queues a message of the layer itself (not counted, not resent): written before the next batch.
  void send_control(const protocol::Message& message);
  // Tells the peer this node stops: an ACK for what arrived unacknowledged, then NODE_STOPPING, so that the
  // peer completes those sends as delivered rather than failing them when the connection closes.
  void say_stopping(const std::string& reason);
  // The peer will resend `count` messages this node already has (its count at the handshake was stale):
  // the first `count` counted messages are dropped unseen.
  void skip_repeats(uint64_t count) { skip_ = count; }

  // Nothing of the layer's own waits to be written and no write is under way: a NODE_STOPPING queued
  // before has reached the socket.
  bool flushed() const { return control_.empty() && !writing_; }
  const ConnectionInfo& info() const { return info_; }
  bool sendfile() const { return settings_.sendfile; }
  Link& link() { return link_; }
  bool peer_stopping() const { return peer_stopping_; }
  // Closed for idleness, by this node or by the peer (IDLE_CLOSE): reopened when there is something to send.
  bool closed_for_idle() const { return idle_close_; }

 private:
  boost::asio::awaitable<void> read_loop();
  // Decodes `input` and hands over what it holds, pausing while the read gate is closed; returns how many
  // bytes the codec consumed (the rest waits for more), or nullopt once the connection has closed.
  boost::asio::awaitable<std::optional<size_t>> hand_over(std::span<const uint8_t> input);
  // The rest of the current payload read into the handler's memory: false when there is none to read to.
  boost::asio::awaitable<bool> read_payload_in_place();
  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<void> ack_loop();
  bool handle(const protocol::MessageView& message, std::string& error);
  bool handle_payload(std::span<const uint8_t> piece, std::string& error);
  void count_received(uint64_t payload_bytes);
  void send_due_ack();
  void ack_soon();
  void append_payload(const Payload& payload);
  void note_shortfall(uint64_t bytes);
  void send_pending_ack();
  std::string idle_close_reason() const;
  void fill_batch();
  void write_now();
  int write_batch();
  void begin_handling();
  void end_handling();
  bool idle() const;
  void close_when_idle();

  Strand strand_;
  Channel channel_;
  std::unique_ptr<plugin::CodecStream> codec_;
  Link& link_;
  ConnectionSettings settings_;
  ConnectionInfo info_;
  std::vector<uint8_t> read_buffer_;
  bool last_read_filled_ = false;  // the last read took all the room there was
  bool header_read_next_ = false;  // a payload just ended in its own memory
  size_t read_begin_ = 0, read_end_ = 0;
  std::vector<uint8_t> control_;  // encoded control messages waiting to be written
  WriteBatch batch_;  // flat over TLS; all of it written when the writer is free
  std::vector<std::span<const uint8_t>> flat_pieces_;  // of the flat batch being written
  boost::asio::steady_timer wakeup_;
  boost::asio::steady_timer ack_timer_;
  boost::asio::steady_timer drained_ack_timer_;
  bool drained_ack_armed_ = false;
  Handlers handlers_;
  boost::asio::steady_timer read_pause_;
  // The payload of the last message still to come: the message is counted (and so acknowledged) only once
  // it has all arrived, so a connection lost in the middle has the sender write message and payload again.
  uint64_t payload_remaining_ = 0;
  uint64_t payload_length_ = 0;
  bool payload_skipped_ = false;  // it belongs to a repeat dropped unseen
  bool closed_ = false;
  bool peer_stopping_ = false;
  std::string close_reason_;
  int loops_running_ = 0;
  uint64_t skip_ = 0;
  bool writing_ = false;
  bool writer_parked_ = false;  // the write loop waits for wake(), with nothing to write
  bool handling_ = false;       // the read loop is handing over messages: wakes wait until it is done
  bool wake_deferred_ = false;  // a wake() came while handling_
  std::chrono::steady_clock::time_point last_counted_ = std::chrono::steady_clock::now();  // sent or received
  bool counted_in_hand_over_ = false;  // a message that counts arrived in the current hand_over
  uint64_t received_in_hand_over_ = 0;  // messages handed over to the handlers, for the shared counter
  bool socket_drained_ = false;        // the last read took less than it had room for
  bool idle_close_ = false;       // this node or the peer closes the connection for idleness
  bool peer_idle_close_ = false;  // the peer said so (IDLE_CLOSE)
};

}  // namespace ferry::comm
