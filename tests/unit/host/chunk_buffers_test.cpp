// The receive buffers of chunks: reused once given back, counted while in use, a bounded number kept, and
// safe to give back after the pool is gone.
#include <catch2/catch.hpp>

#include <vector>

#include "node/chunk_buffers.hpp"

using ferry::node::ChunkBuffers;

TEST_CASE("a chunk buffer given back is the one the next chunk gets, and in use until then", "[host][chunk_buffers]") {
  auto buffers = std::make_shared<ChunkBuffers>();
  const uint8_t* first_data = nullptr;
  {
    auto chunk = buffers->take(1u << 20);
    CHECK(chunk->bytes.size() == (1u << 20));
    CHECK(buffers->in_use() == chunk->bytes.capacity());
    first_data = chunk->bytes.data();
  }
  CHECK(buffers->in_use() == 0);
  CHECK(buffers->spare() == 1);

  auto again = buffers->take(4096);  // smaller: the kept buffer fits
  CHECK(again->bytes.data() == first_data);
  CHECK(again->bytes.size() == 4096);
  CHECK(buffers->spare() == 0);
  auto bigger = buffers->take(2u << 20);  // nothing kept fits: a new one
  CHECK(bigger->bytes.size() == (2u << 20));
  CHECK(buffers->in_use() == again->bytes.capacity() + bigger->bytes.capacity());
}

TEST_CASE("at most kSpareBuffers are kept, and chunks outliving the pool free their own", "[host][chunk_buffers]") {
  auto buffers = std::make_shared<ChunkBuffers>();
  std::vector<std::shared_ptr<ferry::node::ChunkBuffer>> chunks;
  for (size_t i = 0; i < ChunkBuffers::kSpareBuffers + 3; ++i) chunks.push_back(buffers->take(64u << 10));
  chunks.clear();
  CHECK(buffers->spare() == ChunkBuffers::kSpareBuffers);
  CHECK(buffers->in_use() == 0);

  auto late = buffers->take(64u << 10);
  buffers.reset();
  late.reset();  // the pool is gone: nothing to give back to, and nothing breaks
  SUCCEED();
}
