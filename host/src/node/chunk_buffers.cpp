#include "node/chunk_buffers.hpp"

#include <algorithm>

namespace ferry::node {

std::shared_ptr<ReceivedChunk> ChunkBuffers::take(uint64_t length) {
  auto chunk = std::make_shared<ReceivedChunk>();
  {
    std::lock_guard lock(mutex_);
    const auto fits = std::find_if(spare_.begin(), spare_.end(),
                                   [length](const std::vector<uint8_t>& bytes) { return bytes.capacity() >= length; });
    if (fits != spare_.end()) {
      chunk->bytes = std::move(*fits);
      spare_.erase(fits);
    }
  }
  chunk->bytes.resize(length);
  in_use_ += chunk->bytes.capacity();
  chunk->release = [weak = weak_from_this()](std::vector<uint8_t>&& bytes) {
    if (auto self = weak.lock()) self->give_back(std::move(bytes));
  };
  return chunk;
}

void ChunkBuffers::give_back(std::vector<uint8_t> bytes) {
  in_use_ -= bytes.capacity();
  std::lock_guard lock(mutex_);
  if (spare_.size() < kSpareBuffers) spare_.push_back(std::move(bytes));
}

size_t ChunkBuffers::spare() const {
  std::lock_guard lock(mutex_);
  return spare_.size();
}

}  // namespace ferry::node
