// Blocks of one small size, kept by each thread for reuse: the owned copy of a small message is taken
// and given back millions of times a second on one thread, and glibc's allocator, whose per-thread cache
// holds only seven blocks of a size, then spent more time in free() than the message layer in its work.
// A block may be given back on any thread; it then joins that thread's blocks.
#pragma once

#include <cstddef>

namespace ferry::util {

inline constexpr size_t kPooledBlockSize = 256;

// kPooledBlockSize bytes aligned for any type.
void* take_pooled_block();
void give_pooled_block(void* block) noexcept;

}  // namespace ferry::util
