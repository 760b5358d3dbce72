// Built with -mavx2 (CMakeLists.txt). Only xxHash's own static functions are compiled here: an inline
// function of a shared header built for AVX2 could be the copy the linker keeps for the whole program, and
// crash on a CPU without AVX2.
#include "stream/xxh3_avx2.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ferry::stream::detail {

void xxh3_128_update_avx2(void* state, const void* data, size_t size) {
  XXH3_128bits_update(static_cast<XXH3_state_t*>(state), data, size);
}

}  // namespace ferry::stream::detail
