// The digest a streamed file's data is checked against at STREAM_FILE_DONE: SHA-256, or XXH3-128 where the
// xxh3_digest feature is agreed. What a sink holds and what STREAM_FILE announces stay SHA-256.
#pragma once

#include <cstdint>
#include <span>
#include <variant>

#include "stream/messages.hpp"
#include "stream/sha256.hpp"
#include "stream/xxh3_128.hpp"

namespace ferry::stream {

enum class DigestAlgorithm { sha256, xxh3_128 };

// "SHA-256", "XXH3-128", as messages and logs name them.
const char* digest_name(DigestAlgorithm algorithm);
// The digest's length in bytes: 32 or 16.
size_t digest_size(DigestAlgorithm algorithm);

class FileDigest {
 public:
  explicit FileDigest(DigestAlgorithm algorithm);

  DigestAlgorithm algorithm() const { return algorithm_; }
  void update(std::span<const uint8_t> data);
  void update_zeros(uint64_t count);
  Digest finish();

 private:
  DigestAlgorithm algorithm_;
  std::variant<Sha256, Xxh3_128> hash_;
};

}  // namespace ferry::stream
