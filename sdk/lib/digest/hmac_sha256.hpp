// HMAC-SHA-256 (RFC 2104) and a comparison of secrets that takes the same time wherever they differ. The
// node handshake proves knowledge of the cluster secret with it (docs/protocol.md §1.9).
//
// This header does not include OpenSSL's: only hmac_sha256.cpp does.
#pragma once

#include <cstdint>
#include <span>

#include "digest/sha256.hpp"

namespace ferry::digest {

// The HMAC of the concatenation of `parts`, keyed by `key`.
Sha256Digest hmac_sha256(std::span<const uint8_t> key, std::span<const std::span<const uint8_t>> parts);

// Whether two byte strings are equal, in a time that depends on their size only, so that a peer guessing
// a proof learns nothing from how fast it is refused.
bool equal_in_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b);

}  // namespace ferry::digest
