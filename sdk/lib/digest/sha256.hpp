// SHA-256, the digest of a whole file in ferry (PRODUCT.md §6): the sender computes it, the receiver checks
// it before the sink commits, and sinks report it from lookup so that a re-run can skip files already
// held. SHA-256 because every machine running ferry already has it in OpenSSL's libcrypto (hardware
// accelerated where the CPU allows), and because a collision-resistant digest also lets a sink trust a
// held file it did not write itself.
//
// This header does not include OpenSSL's: only sha256.cpp does, so users of ferry::digest compile fast.
// Thread safety: one Sha256 per thread; separate objects are independent.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace ferry::digest {

inline constexpr size_t sha256_size = 32;
using Sha256Digest = std::array<uint8_t, sha256_size>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::span<const uint8_t> data);
  // The digest of everything given to update; the object starts over afterwards.
  Sha256Digest finish();

 private:
  struct State;
  State* state_;
};

// Lowercase hexadecimal, for messages and logs.
std::string to_hex(std::span<const uint8_t> digest);

}  // namespace ferry::digest
