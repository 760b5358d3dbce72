// The digest a streamed file's data is checked against at STREAM_FILE_DONE: SHA-256; XXH3-128 where the
// xxh3_digest feature is agreed; or, where chunk_xxh3 is agreed too, XXH3-128 over the chunks' own
// XXH3-128s (docs/streaming.md, "Digest"). What a sink holds and what STREAM_FILE announces stay SHA-256.
#pragma once

#include <cstdint>
#include <span>
#include <variant>

#include "stream/messages.hpp"
#include "stream/sha256.hpp"
#include "stream/xxh3_128.hpp"

namespace ferry::stream {

enum class DigestAlgorithm { sha256, xxh3_128, xxh3_128_of_chunks };

// "SHA-256", "XXH3-128", "XXH3-128 of chunks", as messages and logs name them.
const char* digest_name(DigestAlgorithm algorithm);
// The digest's length in bytes: 32 or 16.
size_t digest_size(DigestAlgorithm algorithm);

// A chunk's payload hashed on its own, as chunk_xxh3 has it: its XXH3-128, 16 bytes in canonical form.
Digest chunk_hash(std::span<const uint8_t> payload);
// What STREAM_CHUNK's check field carries for a chunk hash: its first four bytes, big-endian.
uint32_t chunk_check(const Digest& hash);

class FileDigest {
 public:
  explicit FileDigest(DigestAlgorithm algorithm);

  DigestAlgorithm algorithm() const { return algorithm_; }
  bool of_chunks() const { return algorithm_ == DigestAlgorithm::xxh3_128_of_chunks; }
  // The file's bytes in order, holes as zeros; of_chunks() digests take add_chunk instead, and ignore
  // update_zeros: the offsets in their records say where the data is.
  void update(std::span<const uint8_t> data);
  void update_zeros(uint64_t count);
  // of_chunks(): the next chunk of the file, with its chunk_hash.
  void add_chunk(uint64_t offset, uint64_t length, const Digest& hash);
  Digest finish();

 private:
  DigestAlgorithm algorithm_;
  std::variant<Sha256, Xxh3_128> hash_;
};

}  // namespace ferry::stream
