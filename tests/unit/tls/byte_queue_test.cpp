// The openssl plugin's ciphertext queue: bytes come out in the order they went in, across growth,
// compaction and partial takes, and written room is only counted once committed.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "byte_queue.hpp"

using ferry::tls_openssl::ByteQueue;

namespace {

std::vector<uint8_t> counting(size_t size, size_t start) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>((start + i) * 7);
  return bytes;
}

}  // namespace

TEST_CASE("A byte queue gives its bytes back in order across growth and partial takes", "[tls][byte_queue]") {
  ByteQueue queue;
  std::vector<uint8_t> expected, taken;
  size_t appended = 0;
  // Uneven appends and takes, so that the queue grows, compacts and wraps its offsets many times.
  for (size_t round = 0; round < 200; ++round) {
    const auto bytes = counting(1 + (round * 977) % 20000, appended);
    queue.append(bytes);
    expected.insert(expected.end(), bytes.begin(), bytes.end());
    appended += bytes.size();
    std::vector<uint8_t> out(1 + (round * 1231) % 24000);
    out.resize(queue.take(out));
    taken.insert(taken.end(), out.begin(), out.end());
    CHECK(queue.size() == expected.size() - taken.size());
  }
  std::vector<uint8_t> rest(queue.size());
  CHECK(queue.take(rest) == rest.size());
  taken.insert(taken.end(), rest.begin(), rest.end());
  CHECK(queue.empty());
  CHECK(taken == expected);
}

TEST_CASE("Room written in place counts once committed; front and consume read in place", "[tls][byte_queue]") {
  ByteQueue queue;
  queue.append(counting(100, 0));
  const auto room = queue.space(5000);
  REQUIRE(room.size() >= 5000);
  CHECK(queue.size() == 100);
  const auto more = counting(5000, 100);
  std::memcpy(room.data(), more.data(), more.size());
  queue.commit(more.size());
  CHECK(queue.size() == 5100);
  CHECK(std::vector<uint8_t>(queue.front().begin(), queue.front().end()) == counting(5100, 0));
  queue.consume(5000);
  CHECK(std::vector<uint8_t>(queue.front().begin(), queue.front().end()) == counting(100, 5000));
  queue.consume(1000);  // more than it holds: all of it
  CHECK(queue.empty());
  std::vector<uint8_t> none(10);
  CHECK(queue.take(none) == 0);
}
