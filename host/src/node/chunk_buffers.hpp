// Buffers for chunks, kept for the next chunks when the last reference to one goes. A fresh 1 MiB buffer
// costs 256 page faults and as many pages zeroed by the kernel, and freeing it hands the pages back:
// about a tenth of a receiving node's CPU time, spent again on every chunk. A node has two pools: the
// chunks that arrive, given back when their sink write is done (and counted, for the node's receive
// bound), and the chunks its sessions read to send, given back once sent or acknowledged.
//
// Thread safety: all of it. Buffers are taken and given back on the I/O thread and the worker pool.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "node/session_driver.hpp"

namespace ferry::node {

class ChunkBuffers : public std::enable_shared_from_this<ChunkBuffers> {
 public:
  // Buffers kept beyond those in use: enough for the chunks of several sessions arriving at once.
  static constexpr size_t kSpareBuffers = 8;

  // A chunk of `length` bytes, to be overwritten: a reused buffer keeps what it held, and only bytes
  // beyond its last size are zeroed. Counted until its last reference goes.
  std::shared_ptr<ChunkBuffer> take(uint64_t length);
  // Bytes held by chunks that have not been given back.
  uint64_t in_use() const { return in_use_.load(std::memory_order_relaxed); }
  size_t spare() const;

 private:
  void give_back(std::vector<uint8_t> bytes);

  mutable std::mutex mutex_;
  std::vector<std::vector<uint8_t>> spare_;
  std::atomic<uint64_t> in_use_{0};
};

}  // namespace ferry::node
