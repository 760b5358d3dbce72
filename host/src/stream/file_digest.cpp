#include "stream/file_digest.hpp"

#include <algorithm>

namespace ferry::stream {

const char* digest_name(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::sha256:
      return "SHA-256";
    case DigestAlgorithm::xxh3_128:
      return "XXH3-128";
    case DigestAlgorithm::xxh3_128_of_chunks:
      return "XXH3-128 of chunks";
  }
  return "SHA-256";
}

size_t digest_size(DigestAlgorithm algorithm) { return algorithm == DigestAlgorithm::sha256 ? kDigestSize : 16; }

Digest chunk_hash(std::span<const uint8_t> payload) {
  Xxh3_128 hash;
  hash.update(payload);
  return hash.finish();
}

uint32_t chunk_check(const Digest& hash) {
  uint32_t check = 0;
  for (size_t i = 0; i < 4 && i < hash.size(); ++i) check = check << 8 | hash[i];
  return check;
}

namespace {

std::variant<Sha256, Xxh3_128> make_hash(DigestAlgorithm algorithm) {
  if (algorithm == DigestAlgorithm::sha256) return Sha256();
  return Xxh3_128();
}

void put_u64_be(uint64_t value, uint8_t* out) {
  for (int i = 7; i >= 0; --i, value >>= 8) out[i] = static_cast<uint8_t>(value);
}

}  // namespace

FileDigest::FileDigest(DigestAlgorithm algorithm) : algorithm_(algorithm), hash_(make_hash(algorithm)) {}

void FileDigest::update(std::span<const uint8_t> data) {
  std::visit([&](auto& hash) { hash.update(data); }, hash_);
}

void FileDigest::update_zeros(uint64_t count) {
  if (of_chunks()) return;
  std::visit([&](auto& hash) { hash.update_zeros(count); }, hash_);
}

void FileDigest::add_chunk(uint64_t offset, uint64_t length, const Digest& hash) {
  // A record of fixed size per chunk: where it lies and what it holds.
  uint8_t record[32] = {};
  put_u64_be(offset, record);
  put_u64_be(length, record + 8);
  std::copy_n(hash.begin(), std::min<size_t>(hash.size(), 16), record + 16);
  update(record);
}

Digest FileDigest::finish() {
  return std::visit([](auto& hash) { return hash.finish(); }, hash_);
}

}  // namespace ferry::stream
