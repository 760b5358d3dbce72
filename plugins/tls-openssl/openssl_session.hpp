// One TLS session over two byte queues: the host moves ciphertext in and out, so the session never touches
// a socket and tests drive it with byte buffers. One thread at a time per session.
#pragma once

#include <ferry/tls.hpp>

#include <optional>

#include "byte_queue.hpp"
#include "openssl_context.hpp"

typedef struct ssl_st SSL;

namespace ferry::tls_openssl {

class OpensslSession final : public sdk::TlsSession {
 public:
  OpensslSession(const OpensslContext& context, sdk::TlsRole role);
  ~OpensslSession() override;
  OpensslSession(const OpensslSession&) = delete;
  OpensslSession& operator=(const OpensslSession&) = delete;

  size_t feed_ciphertext(std::span<const uint8_t> input) override;
  size_t read_plaintext(std::span<uint8_t> output) override;
  size_t write_plaintext(std::span<const uint8_t> input) override;
  size_t take_ciphertext(std::span<uint8_t> output) override;
  sdk::TlsHandshake handshake_state(std::string& reason) override;
  void verify_peer_name(std::string_view name) override;
  sdk::TlsDescription describe() override;

 private:
  // Moves the handshake as far as the bytes fed so far allow.
  void advance();
  void fail_handshake();
  [[noreturn]] void throw_failure() const;

  ByteQueue incoming_;  // ciphertext from the peer, read by OpenSSL
  ByteQueue outgoing_;  // ciphertext for the peer, written by OpenSSL
  SSL* ssl_;
  sdk::TlsRole role_;
  sdk::TlsHandshake state_ = sdk::TlsHandshake::in_progress;
  std::string failure_;
  std::optional<sdk::Error> read_failure_;  // the peer's stream failed after bytes still to be read
};

}  // namespace ferry::tls_openssl
