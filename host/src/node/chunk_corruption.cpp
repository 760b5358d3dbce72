#include "node/chunk_corruption.hpp"

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace ferry::node {

std::optional<ChunkCorruption> ChunkCorruption::from_environment(std::string& error) {
  const char* value = std::getenv(kVariable);
  if (value == nullptr) return std::nullopt;
  uint64_t count = 0;
  const char* end = value + std::strlen(value);
  const auto [stop, failure] = std::from_chars(value, end, count);
  if (failure != std::errc() || stop != end || stop == value) {
    error = std::string(kVariable) + "='" + value + "' is not a count of chunks (a whole number); ignored";
    return std::nullopt;
  }
  return ChunkCorruption(count);
}

bool ChunkCorruption::corrupt(std::span<uint8_t> payload) {
  if (payload.empty() || remaining_ == 0) return false;
  --remaining_;
  payload[payload.size() / 2] ^= 0xff;
  return true;
}

}  // namespace ferry::node
