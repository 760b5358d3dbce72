// Two TLS sessions joined in memory: whatever one sends, the other is fed, until neither has anything left.
#pragma once

#include <ferry/tls.hpp>

#include <memory>
#include <string>
#include <vector>

#include "openssl_context.hpp"
#include "openssl_session.hpp"

namespace ferry::test {

using Bytes = std::vector<uint8_t>;

// Everything session has to send.
Bytes take_all(sdk::TlsSession& session);
// Everything session has to read (throws what read_plaintext throws).
Bytes read_all(sdk::TlsSession& session);
// Moves ciphertext both ways until neither side sends more (bounded: 100 rounds).
void pump(sdk::TlsSession& a, sdk::TlsSession& b);

struct HandshakeResult {
  sdk::TlsHandshake client = sdk::TlsHandshake::in_progress;
  sdk::TlsHandshake server = sdk::TlsHandshake::in_progress;
  std::string client_reason, server_reason;
};

struct SessionPair {
  std::unique_ptr<tls_openssl::OpensslContext> client_context, server_context;
  std::unique_ptr<tls_openssl::OpensslSession> client, server;
  HandshakeResult result;
};

SessionPair handshake(const tls_openssl::TlsOptions& client, const tls_openssl::TlsOptions& server);

}  // namespace ferry::test
