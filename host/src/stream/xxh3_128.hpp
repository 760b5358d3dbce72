// XXH3-128 of a file's content, fed piece by piece: the file digest of streams that agree the xxh3_digest
// feature (docs/protocol.md §2.1). It runs near memory speed, where SHA-256 costs a core at about 2 GB/s
// on each side of a stream. xxHash stays inside xxh3_128.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "stream/messages.hpp"

namespace ferry::stream {

class Xxh3_128 {
 public:
  Xxh3_128();
  ~Xxh3_128();
  Xxh3_128(Xxh3_128&&) noexcept;
  Xxh3_128& operator=(Xxh3_128&&) noexcept;

  void update(std::span<const uint8_t> data);
  // Feeds count zero bytes: a hole of a sparse file reads as zeros.
  void update_zeros(uint64_t count);
  // The 16-byte digest (xxHash's canonical form, big-endian) of everything fed; then starts again.
  Digest finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ferry::stream
