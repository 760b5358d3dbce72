// Test-only fault injection for the streaming fault tests (docs/streaming.md, "Fault injection"). When
// the environment variable FERRY_TEST_CORRUPT_CHUNKS holds a count N, the first N chunks the process
// sends leave with one payload byte flipped, after their CRC32C and the file digest were computed from
// the true bytes: the receiver sees what a network that corrupts data would deliver. No configuration
// file, option or peer message can switch it on; without the variable it does nothing.
//
// Thread safety: none; the stream service uses it under its lock.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace ferry::node {

class ChunkCorruption {
 public:
  static constexpr const char* kVariable = "FERRY_TEST_CORRUPT_CHUNKS";

  // From the environment: nullopt when the variable is unset; otherwise the count, or why the value is
  // not one (in `error`).
  static std::optional<ChunkCorruption> from_environment(std::string& error);

  explicit ChunkCorruption(uint64_t count) : remaining_(count) {}

  uint64_t remaining() const { return remaining_; }
  // Flips the middle byte of payload while corruptions remain; true when it did.
  bool corrupt(std::span<uint8_t> payload);

 private:
  uint64_t remaining_;
};

}  // namespace ferry::node
