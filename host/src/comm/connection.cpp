#include "comm/connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>

#include "comm/traffic_metrics.hpp"
#include "log/logging.hpp"
#include "protocol/messages_v1.hpp"

namespace ferry::comm {

namespace asio = boost::asio;
using asio::use_awaitable;

namespace {

constexpr size_t kInitialReadBuffer = 64u << 10;
// A read that fills all the room the buffer had doubles it, up to this: a peer sending in bulk (file
// chunks) then costs a quarter of the system calls and wake-ups, and an idle connection keeps 64 KiB.
constexpr size_t kBulkReadBuffer = 1u << 20;
// What a read takes after a payload that went to its own memory (read_payload_in_place): a message's
// header and a little of its payload.
constexpr size_t kHeaderRead = 4u << 10;
// How soon messages still unacknowledged when a read empties the socket are acknowledged (ack_soon), as a
// fraction of ack_interval: 1 ms at the default.
constexpr int kDrainedAckDivisor = 100;
// Room beyond the largest message for the bytes of the next one that arrive in the same read.
constexpr size_t kReadSlack = 64u << 10;
// The bytes of a payload read in place that wake this thread: the sender's kernel delivers a loopback
// stream in 64 KiB pieces, and a wake-up for each cost both sides more than the read. (256 KiB, 512 KiB and
// 1 MiB measured each better than the one before; 2 MiB no better than 1.)
constexpr size_t kPayloadWakeBytes = 1u << 20;
// How often a paused reader asks the read gate again.
constexpr std::chrono::milliseconds kReadPausePoll{2};

}  // namespace

Connection::Connection(Strand strand, Channel channel,
                       std::unique_ptr<plugin::CodecStream> codec, Link& link, ConnectionSettings settings,
                       ConnectionInfo info, std::vector<uint8_t> leftover)
    : strand_(std::move(strand)),
      channel_(std::move(channel)),
      codec_(std::move(codec)),
      link_(link),
      settings_(settings),
      info_(std::move(info)),
      read_buffer_(std::max(kInitialReadBuffer, leftover.size())),
      batch_(channel_.secured(), settings_.sendfile),
      wakeup_(strand_),
      ack_timer_(strand_),
      drained_ack_timer_(strand_),
      read_pause_(strand_) {
  if (!leftover.empty()) std::memcpy(read_buffer_.data(), leftover.data(), leftover.size());
  read_end_ = leftover.size();
}

Connection::~Connection() = default;

void Connection::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  // write_now() must never block the strand: with the descriptor non-blocking, a full socket buffer
  // answers would_block and the write loop takes over.
  boost::system::error_code ignored;
  channel_.socket().non_blocking(true, ignored);
  loops_running_ = 3;
  auto self = shared_from_this();
  // A loop that ends by exception is a bug, not a peer's doing: close with the reason rather than hide it.
  const auto finished = [self](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        self->close(std::string("internal error: ") + e.what());
      }
    }
    if (--self->loops_running_ == 0 && self->handlers_.on_close) {
      auto handler = std::move(self->handlers_.on_close);
      handler(*self, self->close_reason_);
    }
  };
  asio::co_spawn(strand_, read_loop(), finished);
  asio::co_spawn(strand_, write_loop(), finished);
  asio::co_spawn(strand_, ack_loop(), finished);
}

void Connection::wake() {
  if (closed_) return;
  if (handling_) {
    wake_deferred_ = true;
    return;
  }
  if (writer_parked_ && !channel_.secured()) {
    write_now();
    return;
  }
  wakeup_.cancel();
}

// A round trip through the write loop costs two dispatches (resuming it, then its write's completion),
// as much as the write itself on loopback; the socket of a parked writer almost always has room, so the
// batch goes out from here. What does not fit is left to the write loop, which waits for room.
void Connection::write_now() {
  fill_batch();
  if (closed_ || batch_.done()) return;
  if (const int error = write_batch(); error != 0 && error != EAGAIN) {
    close(std::string("write failed: ") + std::strerror(error));
    return;
  }
  const bool rest_of_batch = !batch_.done();
  // More than one batch was waiting: the write loop writes the others, between the strand's other work.
  if (!rest_of_batch && control_.empty() && link_.outgoing.next_to_write() == nullptr) return;
  writer_parked_ = false;
  writing_ = rest_of_batch;
  wakeup_.cancel();
}

// Writes what the socket takes of a plaintext batch; 0 once all of it is written, else the errno (EAGAIN:
// the socket is full).
int Connection::write_batch() {
  const WriteBatch::Written written = batch_.write_to(channel_.socket().native_handle());
  traffic_metrics().bytes_sent.add(written.bytes);
  note_shortfall(written.shortfall);
  return written.error;
}

void Connection::begin_handling() {
  handling_ = true;
  if (handlers_.on_reading) handlers_.on_reading(true);
}

// The replies and acknowledgements the handlers queued leave together, in one write.
void Connection::end_handling() {
  if (!handling_) return;
  handling_ = false;
  if (handlers_.on_reading) handlers_.on_reading(false);
  if (wake_deferred_) {
    wake_deferred_ = false;
    wake();
  }
}

void Connection::close(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  close_reason_ = reason;
  boost::system::error_code ignored;
  channel_.socket().close(ignored);
  wakeup_.cancel();
  ack_timer_.cancel();
  drained_ack_timer_.cancel();
  read_pause_.cancel();
}

void Connection::send_control(const protocol::Message& message) {
  if (closed_) return;
  if (auto error = codec_->encode(message, control_)) {
    close("cannot encode a control message: " + error->message);
    return;
  }
  wake();
}

void Connection::say_stopping(const std::string& reason) {
  send_pending_ack();
  send_control(protocol::v1::node_stopping(reason));
}

void Connection::send_pending_ack() {
  if (closed_ || !link_.incoming.ack_pending()) return;
  send_control(protocol::v1::ack(link_.incoming.received()));
  link_.incoming.ack_sent();
  traffic_metrics().acks_sent.add();
}

bool Connection::handle(const protocol::MessageView& message, std::string& error) {
  switch (message.type()) {
    case FERRY_MSG_ACK: {
      traffic_metrics().acks_received.add();
      const auto ack = protocol::v1::read_ack(message);
      if (!link_.outgoing.acknowledge(ack.received, std::chrono::steady_clock::now())) {
        error = "peer acknowledged " + std::to_string(ack.received) + " messages, but " +
                std::to_string(link_.outgoing.acknowledged() + link_.outgoing.unacknowledged()) +
                " were sent (and " + std::to_string(link_.outgoing.acknowledged()) + " acknowledged before)";
        return false;
      }
      wake();
      return true;
    }
    case FERRY_MSG_NODE_STOPPING:
    case FERRY_MSG_IDLE_CLOSE:
      peer_stopping_ = message.type() == FERRY_MSG_NODE_STOPPING;
      peer_idle_close_ = peer_idle_close_ || message.type() == FERRY_MSG_IDLE_CLOSE;
      idle_close_ = idle_close_ || peer_idle_close_;
      handlers_.on_message(link_, message);
      return true;
    default:
      counted_in_hand_over_ = true;
      if (message.payload_length() > settings_.max_message_size) {
        error = "the peer sent a payload of " + std::to_string(message.payload_length()) + " bytes, above the " +
                std::to_string(settings_.max_message_size) + "-byte limit";
        return false;
      }
      payload_remaining_ = payload_length_ = message.payload_length();
      payload_skipped_ = skip_ > 0;
      if (skip_ > 0) {
        if (payload_remaining_ == 0) --skip_;
        return true;
      }
      ++received_in_hand_over_;
      handlers_.on_message(link_, message);
      if (payload_remaining_ == 0) count_received(0);
      return true;
  }
}

bool Connection::handle_payload(std::span<const uint8_t> piece, std::string& error) {
  if (piece.size() > payload_remaining_) {
    error = "the peer sent payload bytes that no message announced";
    return false;
  }
  payload_remaining_ -= piece.size();
  if (!payload_skipped_) handlers_.on_payload(link_, piece);
  if (payload_remaining_ > 0) return true;
  if (payload_skipped_)
    --skip_;
  else
    count_received(payload_length_);
  return true;
}

// A read emptied the socket with messages unacknowledged: the peer may have sent the last of a burst and
// wait for them, so they are acknowledged within ack_interval / kDrainedAckDivisor rather than at the
// next ack_interval tick. Not at once: a receiver that keeps up with its peer drains the socket at every
// read, and an ACK per read cost more than the ack_threshold ones; one timer at a time bounds them.
void Connection::ack_soon() {
  if (drained_ack_armed_ || !link_.incoming.ack_pending()) return;
  drained_ack_armed_ = true;
  drained_ack_timer_.expires_after(std::chrono::duration_cast<std::chrono::microseconds>(settings_.ack_interval) /
                                   kDrainedAckDivisor);
  drained_ack_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    self->drained_ack_armed_ = false;
    if (!error) self->send_pending_ack();
  });
}

// Counted here, acknowledged by hand_over once it has handed over the whole read (send_due_ack): one ACK
// per read, however many ack_thresholds it crossed. A read of a few hundred small messages sent an ACK, and
// so a write, for every ack_threshold of them; the ACK carries the count, and only the last one mattered.
void Connection::count_received(uint64_t payload_bytes) { link_.incoming.received_one(payload_bytes); }

void Connection::send_due_ack() {
  if (link_.incoming.ack_due()) send_pending_ack();
}

asio::awaitable<std::optional<size_t>> Connection::hand_over(std::span<const uint8_t> input) {
  // However this ends, a handing-over begun is ended, so that what its handlers sent is not held.
  struct EndHandling {
    Connection& connection;
    ~EndHandling() { connection.end_handling(); }
  } end_handling_on_exit{*this};
  size_t used = 0;
  begin_handling();
  counted_in_hand_over_ = false;
  received_in_hand_over_ = 0;
  while (used < input.size() && !closed_) {
    if (handlers_.may_read && !handlers_.may_read()) {
      send_due_ack();
      end_handling();
      while (!handlers_.may_read() && !closed_) {
        read_pause_.expires_after(kReadPausePoll);
        boost::system::error_code ignored;
        co_await read_pause_.async_wait(asio::redirect_error(use_awaitable, ignored));
      }
      begin_handling();
    }
    if (closed_) break;
    auto result = codec_->decode(input.subspan(used));
    if (const auto* failure = std::get_if<plugin::PluginError>(&result)) {
      close("malformed data from the peer: " + failure->message);
      break;
    }
    const auto& decoded = std::get<plugin::Decoded>(result);
    used += decoded.consumed;
    if (decoded.kind == plugin::DecodeKind::need_more) break;
    std::string error;
    const bool handled = decoded.kind == plugin::DecodeKind::payload
                             ? handle_payload(decoded.payload, error)
                             : handle(protocol::MessageView(decoded.message), error);
    if (!handled) {
      close(error);
      break;
    }
  }
  send_due_ack();
  // The clock once per read, not per message: at a few million messages a second, reading it for each
  // took a fifth of the receiving thread.
  if (counted_in_hand_over_) last_counted_ = std::chrono::steady_clock::now();
  if (received_in_hand_over_ > 0) traffic_metrics().messages_received.add(received_in_hand_over_);
  if (std::exchange(socket_drained_, false) && !closed_) ack_soon();
  end_handling();
  if (closed_) co_return std::nullopt;
  co_return used;
}

asio::awaitable<bool> Connection::read_payload_in_place() {
  if (!settings_.payload_in_place || !handlers_.payload_target || payload_remaining_ == 0 || payload_skipped_)
    co_return false;
  const PayloadTarget target = handlers_.payload_target(link_);
  if (target.bytes.empty()) co_return false;
  // No further: the next message's bytes belong in the read buffer.
  const std::span<uint8_t> space = target.bytes.first(std::min<uint64_t>(target.bytes.size(), payload_remaining_));
  size_t got = 0;
  if (channel_.secured()) {
    got = co_await channel_.read_some(space);
  } else {
    // Never more than this payload still has to bring: the peer may send nothing after it until answered.
    channel_.wait_for_bytes(std::min(space.size(), kPayloadWakeBytes));
    got = co_await channel_.socket().async_read_some(asio::buffer(space.data(), space.size()), use_awaitable);
  }
  socket_drained_ = got < space.size();
  traffic_metrics().bytes_received.add(got);
  if (channel_.has_output()) wake();
  const auto used = co_await hand_over({space.data(), got});
  // A codec that consumed less keeps the rest for its next call, from the read buffer (empty now).
  if (used && *used < got) {
    std::memcpy(read_buffer_.data(), space.data() + *used, got - *used);
    read_end_ = got - *used;
  }
  header_read_next_ = payload_remaining_ == 0;
  co_return true;
}

asio::awaitable<void> Connection::read_loop() {
  auto self = shared_from_this();
  try {
    for (;;) {
      const auto used = co_await hand_over({read_buffer_.data() + read_begin_, read_end_ - read_begin_});
      if (!used) co_return;
      read_begin_ += *used;
      if (read_begin_ == read_end_) {
        read_begin_ = read_end_ = 0;
        if (co_await read_payload_in_place()) {
          if (closed_) co_return;
          continue;
        }
      } else if (read_end_ == read_buffer_.size()) {
        std::memmove(read_buffer_.data(), read_buffer_.data() + read_begin_, read_end_ - read_begin_);
        read_end_ -= read_begin_;
        read_begin_ = 0;
        if (read_end_ == read_buffer_.size()) {
          // A message bigger than the buffer: grow, but never beyond the agreed message size limit.
          if (read_buffer_.size() >= settings_.max_message_size + kReadSlack) {
            close("the peer sent a message larger than the " + std::to_string(settings_.max_message_size) +
                  "-byte limit");
            co_return;
          }
          read_buffer_.resize(std::min(read_buffer_.size() * 2, settings_.max_message_size + kReadSlack));
        }
      }
      if (last_read_filled_ && read_buffer_.size() < kBulkReadBuffer)
        read_buffer_.resize(std::min(read_buffer_.size() * 2, kBulkReadBuffer));
      std::span<uint8_t> space{read_buffer_.data() + read_end_, read_buffer_.size() - read_end_};
      // After a payload read in place the next message most likely has one too: read little more than
      // its header, so that the payload's bytes go to its own memory rather than through this buffer.
      const bool header_read = std::exchange(header_read_next_, false) && space.size() > kHeaderRead;
      if (header_read) space = space.first(kHeaderRead);
      // In the clear the socket is read directly: one coroutine frame fewer on every round trip. (Not a
      // conditional expression: GCC 12 miscompiles co_await in one.)
      size_t got = 0;
      if (channel_.secured()) {
        got = co_await channel_.read_some(space);
      } else {
        // What comes through the read buffer may be one small message that must wake this thread.
        channel_.wait_for_bytes(1);
        got = co_await channel_.socket().async_read_some(asio::buffer(space.data(), space.size()), use_awaitable);
      }
      read_end_ += got;
      last_read_filled_ = !header_read && got == space.size();
      socket_drained_ = got < space.size();
      traffic_metrics().bytes_received.add(got);
      if (channel_.has_output()) wake();  // TLS answers the peer (a key update): only the writer writes
    }
  } catch (const TlsFailure& e) {
    close(std::string("TLS: ") + e.what());
  } catch (const boost::system::system_error& e) {
    if (e.code() != asio::error::eof)
      close("read failed: " + e.code().message());
    else
      close(idle_close_ ? idle_close_reason() : "the peer closed the connection");
  }
}

void Connection::fill_batch() {
  // Room freed since the last batch goes to parked messages first, so that they are written in this one.
  link_.admit_parked();
  batch_.start(control_);
  // Added to the shared counters once per batch: an atomic add per message cost as much as encoding it.
  uint64_t sent = 0, resent = 0;
  while (batch_.size() < settings_.write_batch) {
    auto* entry = link_.outgoing.next_to_write();
    if (entry == nullptr) break;
    if (auto error = codec_->encode(entry->message.view(), batch_.bytes())) {
      close("cannot encode message " + std::to_string(entry->sequence) + ": " + error->message);
      break;
    }
    append_payload(entry->message.payload());
    if (closed_) break;
    // The batch holds lent bytes until it is written; a resend reads the file.
    entry->message.payload_written();
    ++(link_.outgoing.mark_written() ? resent : sent);
  }
  if (sent > 0) traffic_metrics().messages_sent.add(sent);
  if (resent > 0) traffic_metrics().messages_resent.add(resent);
  if (closed_) return;
  if (sent + resent > 0) last_counted_ = std::chrono::steady_clock::now();
  note_shortfall(batch_.take_read_shortfall());
  // And the room this batch freed, so that producers refill the queue while it is being written.
  link_.admit_parked();
}

// The payload follows its message in the pieces the codec frames (one in stable mode).
void Connection::append_payload(const Payload& payload) {
  const uint64_t total = payload.size();
  for (uint64_t from = 0; from < total;) {
    auto prefix = codec_->encode_payload_prefix(total - from, batch_.bytes());
    if (auto* failure = std::get_if<plugin::PluginError>(&prefix)) {
      close("cannot encode a payload: " + failure->message);
      return;
    }
    const uint64_t piece = std::min<uint64_t>(std::get<uint64_t>(prefix), total - from);
    if (piece == 0) {
      close("the codec framed an empty payload piece");
      return;
    }
    batch_.add_payload(payload, from, piece);
    from += piece;
  }
}

void Connection::note_shortfall(uint64_t bytes) {
  if (bytes == 0) return;
  ferry::log::get("comm")->warn(
      "connection to {}: {} bytes of file chunks lay past the end of their file or could not be read; zeros went "
      "in their place, so the receiver's checks fail those files and they are sent again",
      info_.peer_address, bytes);
}

bool Connection::idle() const {
  return settings_.idle_timeout.count() > 0 &&
         std::chrono::steady_clock::now() - last_counted_ >= settings_.idle_timeout && link_.outgoing.idle() &&
         link_.parked.empty() && !link_.incoming.ack_pending();
}

// Tells the peer with IDLE_CLOSE, then closes once that has been written (a later tick of the ack loop).
// Whatever is queued meanwhile stays pending on the link and leaves on the reopened connection.
void Connection::close_when_idle() {
  if (idle_close_) {
    if (flushed()) close(idle_close_reason());
    return;
  }
  if (!settings_.may_close_idle || !idle()) return;
  idle_close_ = true;
  send_control(protocol::v1::idle_close());
}

// Whichever side closes the socket first, both logs say who found the connection idle: this node's own
// idle_timeout means nothing when the peer decided.
std::string Connection::idle_close_reason() const {
  if (peer_idle_close_) return "idle, as the peer said (IDLE_CLOSE)";
  return "idle for " + std::to_string(settings_.idle_timeout.count()) + " ms (communication.idle_timeout)";
}

asio::awaitable<void> Connection::write_loop() {
  auto self = shared_from_this();
  try {
    while (!closed_) {
      if (batch_.done()) fill_batch();
      if (closed_) break;
      if (batch_.empty() && !channel_.has_output()) {
        wakeup_.expires_at(asio::steady_timer::time_point::max());
        writer_parked_ = true;
        boost::system::error_code ignored;
        co_await wakeup_.async_wait(asio::redirect_error(use_awaitable, ignored));
        writer_parked_ = false;
        continue;
      }
      writing_ = true;
      if (channel_.secured()) {
        batch_.flat_pieces(flat_pieces_);
        co_await channel_.write(flat_pieces_);
        batch_.mark_written();
        traffic_metrics().bytes_sent.add(batch_.size());
      } else {
        for (int error = write_batch(); error != 0; error = write_batch()) {
          if (error != EAGAIN) throw boost::system::system_error(error, boost::system::system_category());
          co_await channel_.socket().async_wait(Socket::wait_write, use_awaitable);
        }
      }
      writing_ = false;
      // The reader's turn before the next batch: an acknowledgement it has not read holds back the
      // sender's window, and with it the chunks that would fill the next batches.
      co_await asio::post(strand_, use_awaitable);
    }
  } catch (const TlsFailure& e) {
    close(std::string("TLS: ") + e.what());
  } catch (const boost::system::system_error& e) {
    close("write failed: " + e.code().message());
  }
}

asio::awaitable<void> Connection::ack_loop() {
  auto self = shared_from_this();
  while (!closed_) {
    ack_timer_.expires_after(settings_.ack_interval);
    boost::system::error_code ignored;
    co_await ack_timer_.async_wait(asio::redirect_error(use_awaitable, ignored));
    send_pending_ack();
    if (!closed_) close_when_idle();
  }
}

}  // namespace ferry::comm
