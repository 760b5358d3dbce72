#include "comm/channel.hpp"

#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <utility>

#include "handshake/wire.hpp"

namespace ferry::comm {

namespace asio = boost::asio;
using asio::use_awaitable;

namespace {

// Ciphertext read from the socket at once; TLS records are at most 16 KiB, so this holds several.
constexpr size_t kCipherRead = 128u << 10;
constexpr size_t kCipherTake = 64u << 10;
// Plaintext encrypted before its ciphertext is written, and ciphertext written at once: small enough to
// stay in the cache between encrypting and writing.
constexpr size_t kSealStep = 256u << 10;

bool starts_with_handshake_magic(std::span<const uint8_t> bytes) {
  return bytes.size() >= handshake::magic.size() && std::equal(handshake::magic.begin(), handshake::magic.end(), bytes.begin());
}

}  // namespace

Channel::Channel(Socket socket) : socket_(std::move(socket)) {}

void Channel::secure(std::unique_ptr<plugin::TlsSession> tls) {
  tls_ = std::move(tls);
  inbox_.resize(kCipherRead);
  take_.resize(kCipherTake);
  sealed_.resize(kSealStep);
  // write() tries the socket at once and waits only when it is full.
  socket_.non_blocking(true);
}

Channel::~Channel() = default;
Channel::Channel(Channel&&) noexcept = default;

void Channel::wait_for_bytes(size_t bytes) {
  const int wanted = static_cast<int>(std::clamp<size_t>(bytes, 1, INT_MAX));
  if (tls_ || wanted == low_water_) return;
  if (::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVLOWAT, &wanted, sizeof wanted) == 0) low_water_ = wanted;
}

void Channel::feed(std::span<const uint8_t> ciphertext) {
  while (!ciphertext.empty()) {
    auto fed = tls_->feed_ciphertext(ciphertext);
    if (auto* failure = std::get_if<plugin::PluginError>(&fed)) throw TlsFailure(failure->message);
    const size_t taken = std::get<size_t>(fed);
    if (taken == 0) throw TlsFailure("the TLS plugin took none of " + std::to_string(ciphertext.size()) + " bytes");
    ciphertext = ciphertext.subspan(taken);
  }
}

// Called after every read as well: most calls find nothing, so the ciphertext goes through a scratch
// buffer sized once rather than growing (and zero-filling) the outbox on each call.
void Channel::collect_output() {
  for (;;) {
    auto taken = tls_->take_ciphertext(take_);
    if (auto* failure = std::get_if<plugin::PluginError>(&taken)) throw TlsFailure(failure->message);
    const size_t n = std::holds_alternative<size_t>(taken) ? std::get<size_t>(taken) : 0;
    if (n == 0) return;
    outbox_.insert(outbox_.end(), take_.begin(), take_.begin() + static_cast<std::ptrdiff_t>(n));
  }
}

asio::awaitable<void> Channel::flush() {
  while (!outbox_.empty()) {
    sending_.clear();
    sending_.swap(outbox_);
    co_await asio::async_write(socket_, asio::buffer(sending_), use_awaitable);
  }
}

asio::awaitable<void> Channel::handshake(std::vector<uint8_t> received) {
  if (!tls_) co_return;
  bool first_read = received.empty();
  if (!received.empty()) feed(received);
  for (;;) {
    const plugin::TlsHandshakeState state = tls_->handshake_state();
    // A failing side's alert goes out before it gives up, so that the peer learns why too.
    collect_output();
    co_await flush();
    if (state.state == plugin::TlsHandshake::done) break;
    if (state.state == plugin::TlsHandshake::failed) throw TlsFailure(state.reason);
    const size_t n = co_await socket_.async_read_some(asio::buffer(inbox_), use_awaitable);
    if (first_read && starts_with_handshake_magic({inbox_.data(), n}))
      throw TlsFailure("the peer answered with the node handshake in the clear: it does not have TLS enabled "
                       "(tls.enabled), and this node does");
    first_read = false;
    feed({inbox_.data(), n});
  }
  const plugin::TlsInfo info = tls_->describe();
  description_ = info.version + " " + info.cipher;
  peer_certified_ = !info.peer_subject.empty();
}

asio::awaitable<size_t> Channel::read_some(std::span<uint8_t> out) {
  if (!tls_) co_return co_await socket_.async_read_some(asio::buffer(out.data(), out.size()), use_awaitable);
  for (;;) {
    auto read = tls_->read_plaintext(out);
    if (auto* failure = std::get_if<plugin::PluginError>(&read)) throw TlsFailure(failure->message);
    collect_output();
    if (const auto* n = std::get_if<size_t>(&read); n && *n > 0) co_return *n;
    const size_t n = co_await socket_.async_read_some(asio::buffer(inbox_), use_awaitable);
    feed({inbox_.data(), n});
  }
}

asio::awaitable<void> Channel::write(std::span<const uint8_t> bytes) {
  const std::span<const uint8_t> pieces[] = {bytes};
  co_await write(pieces);
}

asio::awaitable<void> Channel::write(std::span<const std::span<const uint8_t>> pieces) {
  if (!tls_) {
    std::vector<asio::const_buffer> buffers;
    for (const auto& piece : pieces) buffers.emplace_back(piece.data(), piece.size());
    co_await asio::async_write(socket_, buffers, use_awaitable);
    co_return;
  }
  for (std::span<const uint8_t> bytes : pieces) {
    while (!bytes.empty()) {
      const std::span<const uint8_t> step = bytes.first(std::min(bytes.size(), kSealStep));
      encrypt(step);
      bytes = bytes.subspan(step.size());
      co_await send_ciphertext();
    }
  }
  co_await send_ciphertext();  // with no pieces, what reads left waiting
}

void Channel::encrypt(std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    auto written = tls_->write_plaintext(bytes);
    if (auto* failure = std::get_if<plugin::PluginError>(&written)) throw TlsFailure(failure->message);
    const size_t n = std::get<size_t>(written);
    if (n == 0) throw TlsFailure("the TLS session took no plaintext to send");
    bytes = bytes.subspan(n);
  }
}

// The ciphertext goes from the session to the socket through sealed_, without waiting in the outbox.
// What a read took from the session while a write waited went out first: it is older.
asio::awaitable<void> Channel::send_ciphertext() {
  for (;;) {
    co_await flush();
    auto taken = tls_->take_ciphertext(sealed_);
    if (auto* failure = std::get_if<plugin::PluginError>(&taken)) throw TlsFailure(failure->message);
    const size_t n = std::holds_alternative<size_t>(taken) ? std::get<size_t>(taken) : 0;
    if (n == 0) co_return;
    for (size_t sent = 0; sent < n;) {
      boost::system::error_code error;
      sent += socket_.write_some(asio::buffer(sealed_.data() + sent, n - sent), error);
      if (error == asio::error::would_block || error == asio::error::try_again)
        co_await socket_.async_wait(Socket::wait_write, use_awaitable);
      else if (error)
        throw boost::system::system_error(error);
    }
  }
}

std::optional<std::string> Channel::check_peer_name(const std::string& name) {
  if (!tls_) return std::nullopt;
  if (auto failure = tls_->verify_peer_name(name)) return failure->message;
  return std::nullopt;
}

std::string Channel::describe() const { return description_; }

}  // namespace ferry::comm
