#include "byte_queue.hpp"

#include <algorithm>
#include <cstring>

namespace ferry::tls_openssl {

void ByteQueue::consume(size_t count) {
  begin_ += std::min(count, size());
  if (begin_ == end_) begin_ = end_ = 0;
}

std::span<uint8_t> ByteQueue::space(size_t wanted) {
  if (capacity_ - end_ < wanted) {
    const size_t held = size();
    if (held + wanted <= capacity_) {
      std::memmove(storage_.get(), storage_.get() + begin_, held);
    } else {
      const size_t capacity = std::max(capacity_ * 2, held + wanted);
      auto grown = std::make_unique_for_overwrite<uint8_t[]>(capacity);
      if (held > 0) std::memcpy(grown.get(), storage_.get() + begin_, held);
      storage_ = std::move(grown);
      capacity_ = capacity;
    }
    begin_ = 0;
    end_ = held;
  }
  return {storage_.get() + end_, capacity_ - end_};
}

void ByteQueue::append(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return;
  std::memcpy(space(bytes.size()).data(), bytes.data(), bytes.size());
  commit(bytes.size());
}

size_t ByteQueue::take(std::span<uint8_t> output) {
  const size_t count = std::min(output.size(), size());
  if (count > 0) std::memcpy(output.data(), storage_.get() + begin_, count);
  consume(count);
  return count;
}

}  // namespace ferry::tls_openssl
