#include "session_pair.hpp"

namespace ferry::test {

Bytes take_all(sdk::TlsSession& session) {
  Bytes out;
  uint8_t buffer[16384];
  while (const size_t n = session.take_ciphertext(buffer)) out.insert(out.end(), buffer, buffer + n);
  return out;
}

Bytes read_all(sdk::TlsSession& session) {
  Bytes out;
  uint8_t buffer[16384];
  while (const size_t n = session.read_plaintext(buffer)) out.insert(out.end(), buffer, buffer + n);
  return out;
}

void pump(sdk::TlsSession& a, sdk::TlsSession& b) {
  for (int round = 0; round < 100; ++round) {
    const Bytes from_a = take_all(a);
    if (!from_a.empty()) b.feed_ciphertext(from_a);
    const Bytes from_b = take_all(b);
    if (!from_b.empty()) a.feed_ciphertext(from_b);
    if (from_a.empty() && from_b.empty()) return;
  }
}

SessionPair handshake(const tls_openssl::TlsOptions& client, const tls_openssl::TlsOptions& server) {
  SessionPair pair;
  pair.client_context = std::make_unique<tls_openssl::OpensslContext>(client);
  pair.server_context = std::make_unique<tls_openssl::OpensslContext>(server);
  pair.client = std::make_unique<tls_openssl::OpensslSession>(*pair.client_context, sdk::TlsRole::client);
  pair.server = std::make_unique<tls_openssl::OpensslSession>(*pair.server_context, sdk::TlsRole::server);
  pump(*pair.client, *pair.server);
  pair.result.client = pair.client->handshake_state(pair.result.client_reason);
  pair.result.server = pair.server->handshake_state(pair.result.server_reason);
  return pair;
}

}  // namespace ferry::test
