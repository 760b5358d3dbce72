#include "node/chunk_buffers.hpp"

#include <algorithm>
#include <iterator>

namespace ferry::node {

std::shared_ptr<ChunkBuffer> ChunkBuffers::take(uint64_t length) {
  auto chunk = std::make_shared<ChunkBuffer>();
  {
    std::lock_guard lock(mutex_);
    // The buffer given back last first: its lines are the likeliest still to be in the cache.
    const auto fits = std::find_if(spare_.rbegin(), spare_.rend(),
                                   [length](const std::vector<uint8_t>& bytes) { return bytes.capacity() >= length; });
    if (fits != spare_.rend()) {
      chunk->bytes = std::move(*fits);
      spare_.erase(std::next(fits).base());
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
