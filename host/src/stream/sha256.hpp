// SHA-256 of a file's content, fed piece by piece, for the digest a streamed file is checked against.
// OpenSSL stays inside sha256.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "stream/messages.hpp"

namespace ferry::stream {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void update(std::span<const uint8_t> data);
  // Feeds count zero bytes: a hole of a sparse file reads as zeros.
  void update_zeros(uint64_t count);
  // The digest of everything fed; the object then starts again from nothing.
  Digest finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ferry::stream
