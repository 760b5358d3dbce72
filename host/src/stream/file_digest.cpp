#include "stream/file_digest.hpp"

namespace ferry::stream {

const char* digest_name(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::xxh3_128 ? "XXH3-128" : "SHA-256";
}

size_t digest_size(DigestAlgorithm algorithm) { return algorithm == DigestAlgorithm::xxh3_128 ? 16 : kDigestSize; }

namespace {

std::variant<Sha256, Xxh3_128> make_hash(DigestAlgorithm algorithm) {
  if (algorithm == DigestAlgorithm::xxh3_128) return Xxh3_128();
  return Sha256();
}

}  // namespace

FileDigest::FileDigest(DigestAlgorithm algorithm) : algorithm_(algorithm), hash_(make_hash(algorithm)) {}

void FileDigest::update(std::span<const uint8_t> data) {
  std::visit([&](auto& hash) { hash.update(data); }, hash_);
}

void FileDigest::update_zeros(uint64_t count) {
  std::visit([&](auto& hash) { hash.update_zeros(count); }, hash_);
}

Digest FileDigest::finish() {
  return std::visit([](auto& hash) { return hash.finish(); }, hash_);
}

}  // namespace ferry::stream
