#include "handshake/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace ferry::handshake {
namespace {

void fill(uint8_t* data, size_t size) {
  while (size > 0) {
    const ssize_t got = ::getrandom(data, size, 0);
    if (got < 0 && errno == EINTR) continue;
    // getrandom cannot fail on Linux >= 3.17 for requests this small once the pool is ready (it blocks
    // until then); without randomness no handshake could be trusted, so there is nothing to fall back to.
    if (got < 0) std::abort();
    data += got;
    size -= static_cast<size_t>(got);
  }
}

}  // namespace

uint64_t random_incarnation() {
  uint64_t incarnation = 0;
  while (incarnation == 0) fill(reinterpret_cast<uint8_t*>(&incarnation), sizeof incarnation);
  return incarnation;
}

Nonce random_nonce() {
  Nonce nonce{};
  fill(nonce.data(), nonce.size());
  return nonce;
}

}  // namespace ferry::handshake
