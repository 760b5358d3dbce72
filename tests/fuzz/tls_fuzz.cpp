// Fuzz target of the `openssl` TLS plugin's ciphertext-feeding entry point: the input is what a peer
// sends, fed in pieces (sized by the input's first byte) to a server session and to a client session,
// each then asked for its handshake state and plaintext. Refusals are expected; a crash, a sanitizer
// report or a leak is a bug.
#include <cstddef>
#include <cstdint>
#include <span>

#include "openssl_context.hpp"
#include "openssl_session.hpp"
#include "test_certificates.hpp"

using namespace ferry;

namespace {

const tls_openssl::OpensslContext& context() {
  static ferry::test::TestPki pki;
  static const tls_openssl::OpensslContext made([] {
    const auto ca = pki.authority("fuzz-ca");
    const auto node = pki.leaf("fuzz", "fuzz-ca", {{"fuzz"}});
    tls_openssl::TlsOptions options;
    options.cert = node.cert;
    options.key = node.key;
    options.ca = ca.cert;
    return options;
  }());
  return made;
}

void drive(sdk::TlsRole role, std::span<const uint8_t> input, size_t piece) {
  tls_openssl::OpensslSession session(context(), role);
  uint8_t buffer[4096];
  try {
    while (!input.empty()) {
      const size_t take = std::min(piece, input.size());
      input = input.subspan(session.feed_ciphertext(input.first(take)));
      while (session.take_ciphertext(buffer) > 0) {
      }
      std::string reason;
      if (session.handshake_state(reason) == sdk::TlsHandshake::failed) return;
      while (session.read_plaintext(buffer) > 0) {
      }
    }
  } catch (const sdk::Error&) {
    // A refused peer: the host closes the connection with the reason.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 64 * 97;
  const std::span<const uint8_t> input(data + 1, size - 1);
  static_cast<void>(context());
  drive(sdk::TlsRole::server, input, piece);
  drive(sdk::TlsRole::client, input, piece);
  return 0;
}
