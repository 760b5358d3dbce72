#include "util/block_pool.hpp"

#include <new>
#include <utility>

namespace ferry::util {

namespace {

// What a thread keeps at most, 2 MiB: a burst's blocks are reused, not all of its peak.
constexpr size_t kKeptBlocks = 8192;

struct FreeBlock {
  FreeBlock* next;
};

class FreeList {
 public:
  FreeList() = default;
  FreeList(const FreeList&) = delete;
  FreeList& operator=(const FreeList&) = delete;
  ~FreeList() {
    while (head_ != nullptr) ::operator delete(std::exchange(head_, head_->next));
  }

  void* take() {
    if (head_ == nullptr) return ::operator new(kPooledBlockSize);
    --count_;
    return std::exchange(head_, head_->next);
  }
  void give(void* block) noexcept {
    if (count_ == kKeptBlocks) {
      ::operator delete(block);
      return;
    }
    head_ = new (block) FreeBlock{head_};
    ++count_;
  }

 private:
  FreeBlock* head_ = nullptr;
  size_t count_ = 0;
};

thread_local FreeList free_blocks;

}  // namespace

void* take_pooled_block() { return free_blocks.take(); }

void give_pooled_block(void* block) noexcept { free_blocks.give(block); }

}  // namespace ferry::util
