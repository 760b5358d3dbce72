// The byte stream of one connection: the socket itself, or TLS over it. The handshake driver and the
// connection read and write through a Channel and never ask which one it is.
//
// Over TLS, a read may make the session want to send (a TLS 1.3 key update, say): that ciphertext waits
// in the channel (has_output) until the next write, so that only the writer ever writes to the socket.
// One reader and one writer at a time, on the same strand. Internal to the comm module: it includes Asio.
#pragma once

#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "plugin/tls_instance.hpp"

namespace ferry::comm {

using Socket = boost::asio::posix::stream_descriptor;

// The TLS session failed: the peer's bytes are not TLS, or the plugin refused them. what() says why.
class TlsFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Channel {
 public:
  explicit Channel(Socket socket);
  ~Channel();
  Channel(Channel&&) noexcept;
  Channel& operator=(Channel&&) = delete;

  // From now on the bytes go through TLS; call handshake() next.
  void secure(std::unique_ptr<plugin::TlsSession> tls);
  // Runs the TLS handshake to its end; `received` are ciphertext bytes already read from the socket.
  // Throws TlsFailure, or boost::system::system_error when the socket fails or is cancelled.
  boost::asio::awaitable<void> handshake(std::vector<uint8_t> received = {});
  // At least one byte into `out` (plaintext); throws as handshake() does, error::eof at the peer's close.
  boost::asio::awaitable<size_t> read_some(std::span<uint8_t> out);
  // All of `bytes`, after whatever the session has waiting to be sent.
  boost::asio::awaitable<void> write(std::span<const uint8_t> bytes);
  // The pieces in order, as one stream of bytes: over TLS each is encrypted where it lies.
  boost::asio::awaitable<void> write(std::span<const std::span<const uint8_t>> pieces);
  bool has_output() const { return !outbox_.empty(); }
  // In the clear: the socket is reported readable (and its reader woken) only once `bytes` are waiting
  // (SO_RCVLOWAT), or the peer closed; 1 is the default. Only for bytes that are certain to come, such as
  // the rest of a payload: the peer would wait for an answer to fewer. A socket that refuses it keeps 1.
  void wait_for_bytes(size_t bytes);

  Socket& socket() { return socket_; }
  bool secured() const { return tls_ != nullptr; }
  // The peer's certificate names `name` (node name or id), or why not: nullopt without TLS.
  std::optional<std::string> check_peer_name(const std::string& name);
  // The peer showed a certificate in the TLS handshake.
  bool peer_certified() const { return peer_certified_; }
  // "TLSv1.3 TLS_AES_256_GCM_SHA384", or "none" in the clear.
  std::string describe() const;

 private:
  void collect_output();
  void feed(std::span<const uint8_t> ciphertext);
  void encrypt(std::span<const uint8_t> plaintext);
  boost::asio::awaitable<void> flush();
  boost::asio::awaitable<void> send_ciphertext();

  Socket socket_;
  std::unique_ptr<plugin::TlsSession> tls_;
  std::vector<uint8_t> inbox_;   // ciphertext read from the socket
  std::vector<uint8_t> take_;    // ciphertext taken from the session, on its way to the outbox
  std::vector<uint8_t> sealed_;  // ciphertext of write(), taken from the session and written from here
  std::vector<uint8_t> outbox_;  // ciphertext waiting to be written
  std::vector<uint8_t> sending_;  // what the write under way holds
  std::string description_ = "none";
  int low_water_ = 1;
  bool peer_certified_ = false;
};

}  // namespace ferry::comm
