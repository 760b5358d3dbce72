// The handshake's random values, from the kernel's CSPRNG (getrandom): nonces are the challenges of the
// cluster-secret authentication to come, so they must not be predictable.
#pragma once

#include <cstdint>

#include "handshake/frames.hpp"

namespace ferry::handshake {

// A process's incarnation: drawn once at start, never 0 (0 means "unknown" on the wire).
uint64_t random_incarnation();

// A fresh nonce for one handshake.
Nonce random_nonce();

}  // namespace ferry::handshake
