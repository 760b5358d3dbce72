#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include "util/block_pool.hpp"

using ferry::util::give_pooled_block;
using ferry::util::kPooledBlockSize;
using ferry::util::take_pooled_block;

TEST_CASE("pooled blocks are distinct, whole and aligned, and given-back blocks are reused") {
  std::vector<void*> blocks;
  for (int i = 0; i < 100; ++i) {
    void* block = take_pooled_block();
    CHECK(reinterpret_cast<uintptr_t>(block) % alignof(std::max_align_t) == 0);
    std::memset(block, i, kPooledBlockSize);  // ASan: all of it belongs to the block
    blocks.push_back(block);
  }
  CHECK(std::set<void*>(blocks.begin(), blocks.end()).size() == blocks.size());
  for (int i = 0; i < 100; ++i) CHECK(static_cast<unsigned char*>(blocks[static_cast<size_t>(i)])[kPooledBlockSize - 1] == i);

  for (void* block : blocks) give_pooled_block(block);
  const std::set<void*> given(blocks.begin(), blocks.end());
  std::vector<void*> again;
  for (int i = 0; i < 100; ++i) again.push_back(take_pooled_block());
  for (void* block : again) CHECK(given.count(block) == 1);
  for (void* block : again) give_pooled_block(block);
}

TEST_CASE("a block taken on one thread may be given back on another") {
  std::vector<void*> blocks(1000);
  std::thread taker([&] {
    for (auto& block : blocks) block = take_pooled_block();
  });
  taker.join();
  // Past what one thread keeps, too: the rest goes back to the heap.
  for (void* block : blocks) give_pooled_block(block);
  std::vector<void*> more(20000);
  for (auto& block : more) block = take_pooled_block();
  for (void* block : more) give_pooled_block(block);
}
