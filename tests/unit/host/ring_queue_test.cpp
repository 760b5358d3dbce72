#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "util/ring_queue.hpp"

using ferry::util::RingQueue;

TEST_CASE("a ring queue gives items back in the order queued across wrapping and growth") {
  RingQueue<std::unique_ptr<int>> queue;
  std::vector<int> out;
  int next = 0;
  // Uneven pushes and pops wrap the ring at different points before and after each doubling.
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < round % 7 + 3; ++i) queue.push_back(std::make_unique<int>(next++));
    for (int i = 0; i < round % 5 + 1 && !queue.empty(); ++i) {
      out.push_back(*queue.front());
      queue.pop_front();
    }
    for (size_t i = 0; i < queue.size(); ++i) CHECK(*queue[i] == static_cast<int>(out.size() + i));
  }
  while (!queue.empty()) {
    out.push_back(*queue.front());
    queue.pop_front();
  }
  REQUIRE(out.size() == static_cast<size_t>(next));
  for (int i = 0; i < next; ++i) CHECK(out[static_cast<size_t>(i)] == i);
}

TEST_CASE("a ring queue moved from is empty and usable, and destroys what it holds") {
  auto alive = std::make_shared<int>(0);
  RingQueue<std::shared_ptr<int>> queue;
  for (int i = 0; i < 40; ++i) queue.push_back(std::shared_ptr<int>(alive));
  CHECK(alive.use_count() == 41);

  RingQueue<std::shared_ptr<int>> taken = std::move(queue);
  CHECK(queue.empty());  // NOLINT(bugprone-use-after-move): a moved-from queue is specified empty
  CHECK(taken.size() == 40);
  queue.push_back(std::shared_ptr<int>(alive));
  CHECK(queue.size() == 1);
  taken.pop_front();
  CHECK(alive.use_count() == 41);

  { RingQueue<std::shared_ptr<int>> dropped = std::move(taken); }
  CHECK(alive.use_count() == 2);
}

TEST_CASE("a ring queue emptied after a burst starts small again and still works") {
  RingQueue<int> queue;
  for (int i = 0; i < 5000; ++i) queue.push_back(int{i});
  for (int i = 0; i < 5000; ++i) {
    CHECK(queue.front() == i);
    queue.pop_front();
  }
  CHECK(queue.empty());
  queue.push_back(7);
  queue.push_back(8);
  CHECK(queue.front() == 7);
  CHECK(queue[1] == 8);
}
