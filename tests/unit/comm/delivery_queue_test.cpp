#include <catch2/catch.hpp>

#include <chrono>
#include <deque>
#include <random>
#include <vector>

#include "comm/delivery_queue.hpp"

using ferry::comm::DeliveryQueue;
using ferry::comm::ReceiveCounter;
using ferry::comm::SendResult;

namespace {

struct Outcomes {
  std::vector<int> delivered;
  std::vector<std::pair<int, std::string>> failed;

  ferry::comm::Completion for_message(int id) {
    return [this, id](const SendResult& result) {
      if (result.delivered)
        delivered.push_back(id);
      else
        failed.emplace_back(id, result.reason);
    };
  }
};

// Writes everything the queue allows; returns the messages written, in order.
std::vector<int> write_all(DeliveryQueue<int>& queue) {
  std::vector<int> written;
  while (const auto* entry = queue.next_to_write()) {
    written.push_back(entry->message);
    queue.mark_written();
  }
  return written;
}

}  // namespace

TEST_CASE("messages are written in order and complete when acknowledged", "[comm][delivery]") {
  Outcomes outcomes;  // declared first: the queue completes into it when destroyed
  DeliveryQueue<int> queue({100, 100});
  for (int i = 1; i <= 5; ++i) REQUIRE(queue.enqueue(int{i}, outcomes.for_message(i)));
  CHECK(write_all(queue) == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(queue.acknowledge(3));
  CHECK(outcomes.delivered == std::vector<int>{1, 2, 3});
  CHECK(queue.unacknowledged() == 2);
  CHECK(queue.acknowledge(5));
  CHECK(outcomes.delivered == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(queue.idle());
}

TEST_CASE("completions carry the time their acknowledgement or reconnect was handled", "[comm][delivery]") {
  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> times;
  DeliveryQueue<int> queue({100, 100});
  for (int i = 1; i <= 4; ++i)
    queue.enqueue(int{i}, [&times](const SendResult& result) { times.push_back(result.acknowledged_at); });
  write_all(queue);
  const Clock::time_point acked = Clock::time_point(std::chrono::seconds(7));
  const Clock::time_point reconnected = Clock::time_point(std::chrono::seconds(9));
  CHECK(queue.acknowledge(2, acked));
  queue.connection_lost();
  CHECK(queue.reconnected(4, reconnected));
  CHECK(times == std::vector<Clock::time_point>{acked, acked, reconnected, reconnected});
}

TEST_CASE("impossible acknowledgements are refused", "[comm][delivery]") {
  Outcomes outcomes;  // declared first: the queue completes into it when destroyed
  DeliveryQueue<int> queue({100, 100});
  for (int i = 1; i <= 3; ++i) queue.enqueue(int{i}, outcomes.for_message(i));
  write_all(queue);
  CHECK_FALSE(queue.acknowledge(4));  // more than was written
  CHECK(queue.acknowledge(2));
  CHECK_FALSE(queue.acknowledge(1));  // going backwards
  CHECK(outcomes.delivered == std::vector<int>{1, 2});
}

TEST_CASE("a lost connection resends what was not acknowledged, before anything new", "[comm][delivery]") {
  Outcomes outcomes;  // declared first: the queue completes into it when destroyed
  DeliveryQueue<int> queue({100, 100});
  for (int i = 1; i <= 4; ++i) queue.enqueue(int{i}, outcomes.for_message(i));
  write_all(queue);
  queue.acknowledge(1);
  queue.connection_lost();
  queue.enqueue(5, outcomes.for_message(5));

  SECTION("the peer got nothing more") {
    REQUIRE(queue.reconnected(1));
    CHECK(write_all(queue) == std::vector<int>{2, 3, 4, 5});
  }
  SECTION("the peer got two more before the cut: they complete and are not resent") {
    REQUIRE(queue.reconnected(3));
    CHECK(outcomes.delivered == std::vector<int>{1, 2, 3});
    CHECK(write_all(queue) == std::vector<int>{4, 5});
  }
  SECTION("an impossible count from the peer is refused") {
    CHECK_FALSE(queue.reconnected(9));
    CHECK_FALSE(queue.reconnected(0));
  }
}

TEST_CASE("limits hold back producers and the writer", "[comm][delivery]") {
  Outcomes outcomes;  // declared first: the queue completes into it when destroyed
  DeliveryQueue<int> queue({3, 2});
  CHECK(queue.enqueue(1, outcomes.for_message(1)));
  CHECK(queue.enqueue(2, outcomes.for_message(2)));
  CHECK(queue.enqueue(3, outcomes.for_message(3)));
  CHECK_FALSE(queue.enqueue(4, outcomes.for_message(4)));  // queue_limit
  CHECK(write_all(queue) == std::vector<int>{1, 2});        // unacked_limit
  CHECK(queue.enqueue(4, outcomes.for_message(4)));
  CHECK(queue.acknowledge(1));
  CHECK(write_all(queue) == std::vector<int>{3});
  CHECK(queue.acknowledge(3));
  CHECK(write_all(queue) == std::vector<int>{4});
}

TEST_CASE("failing the link completes every message once, with the reason", "[comm][delivery]") {
  Outcomes outcomes;
  {
    DeliveryQueue<int> queue({100, 100});
    for (int i = 1; i <= 3; ++i) queue.enqueue(int{i}, outcomes.for_message(i));
    write_all(queue);
    queue.acknowledge(1);
    queue.fail_all("peer b restarted");
    CHECK(queue.idle());
    queue.enqueue(7, outcomes.for_message(7));
  }  // destroyed with 7 pending
  CHECK(outcomes.delivered == std::vector<int>{1});
  REQUIRE(outcomes.failed.size() == 3);
  CHECK(outcomes.failed[0] == std::pair<int, std::string>{2, "peer b restarted"});
  CHECK(outcomes.failed[1].first == 3);
  CHECK(outcomes.failed[2] == std::pair<int, std::string>{7, "the link was closed"});
}

TEST_CASE("random cuts never lose, duplicate or reorder a message", "[comm][delivery]") {
  // A sender queue and a receiver counter joined by a simulated connection that drops its in-flight
  // messages at random; the receiver must see 1..N exactly once, in order.
  std::mt19937 random(20261122);
  Outcomes outcomes;  // declared first: the queue completes into it when destroyed
  DeliveryQueue<int> queue({64, 16});
  ReceiveCounter receiver(8);
  std::vector<int> seen;
  std::deque<int> wire;
  const int total = 20000;
  int next = 1;
  for (int step = 0; step < 1000000 && static_cast<int>(seen.size()) < total; ++step) {
    while (next <= total && queue.enqueue(int{next}, outcomes.for_message(next))) ++next;
    for (const int m : write_all(queue)) wire.push_back(m);
    const size_t arriving = random() % (wire.size() + 1);
    for (size_t i = 0; i < arriving; ++i) {
      seen.push_back(wire.front());
      wire.pop_front();
      receiver.received_one();
    }
    if (receiver.ack_due() || random() % 4 == 0) {
      REQUIRE(queue.acknowledge(receiver.received()));
      receiver.ack_sent();
    }
    if (random() % 10 == 0) {  // cut: in-flight bytes are lost, then the handshake reports the count
      wire.clear();
      queue.connection_lost();
      REQUIRE(queue.reconnected(receiver.received()));
      receiver.ack_sent();
    }
  }
  REQUIRE(static_cast<int>(seen.size()) == total);
  for (int i = 0; i < total; ++i) REQUIRE(seen[i] == i + 1);
  REQUIRE(queue.acknowledge(receiver.received()));
  CHECK(static_cast<int>(outcomes.delivered.size()) == total);
  CHECK(outcomes.failed.empty());
}

TEST_CASE("the receiver acknowledges every ack_threshold messages", "[comm][delivery]") {
  ReceiveCounter counter(3);
  counter.received_one();
  counter.received_one();
  CHECK_FALSE(counter.ack_due());
  CHECK(counter.ack_pending());
  counter.received_one();
  CHECK(counter.ack_due());
  counter.ack_sent();
  CHECK_FALSE(counter.ack_pending());
  counter.reset();
  CHECK(counter.received() == 0);
}

TEST_CASE("a stale count at reconnect is corrected by the next acknowledgement", "[comm][delivery]") {
  // Two connections of one link overlapped: the handshake of the second reported 2, but the first
  // delivered up to 4 before it closed. The receiver skips the repeats and acknowledges 4.
  Outcomes outcomes;  // declared first: the queue completes into it when destroyed
  DeliveryQueue<int> queue({100, 100});
  for (int i = 1; i <= 6; ++i) queue.enqueue(int{i}, outcomes.for_message(i));
  CHECK(write_all(queue).size() == 6);
  REQUIRE(queue.reconnected(2));
  CHECK(outcomes.delivered == std::vector<int>{1, 2});
  REQUIRE(queue.acknowledge(4));
  CHECK(outcomes.delivered == std::vector<int>{1, 2, 3, 4});
  CHECK(write_all(queue) == std::vector<int>{5, 6});  // 3 and 4 are not resent
  CHECK_FALSE(queue.acknowledge(7));                  // never written
}

TEST_CASE("after a handshake the receiver acknowledges what the peer does not know yet", "[comm][delivery]") {
  ReceiveCounter counter(100);
  for (int i = 0; i < 5; ++i) counter.received_one();
  counter.peer_knows(3);
  CHECK(counter.ack_pending());
  counter.peer_knows(9);  // never above what arrived
  CHECK_FALSE(counter.ack_pending());
}

TEST_CASE("no acknowledgement leaves while a handshake of the link is under way", "[comm][delivery]") {
  // Overlapping connections: the new handshake reported 2 while the old connection kept delivering. An
  // ACK of 4 on the old connection would complete 3 and 4 at the sender, which then resends from 5 while
  // the receiver skips two repeats of what it expects from 3: two messages lost. Held, the sender resends
  // 3.., the receiver skips 3 and 4, and nothing is lost.
  Outcomes outcomes;
  DeliveryQueue<int> queue({100, 100});
  ReceiveCounter receiver(1);
  for (int i = 1; i <= 6; ++i) queue.enqueue(int{i}, outcomes.for_message(i));
  write_all(queue);
  receiver.received_one();
  receiver.received_one();
  receiver.hold();  // the handshake of the new connection reports 2
  const uint64_t told = receiver.received();
  receiver.received_one();
  receiver.received_one();
  CHECK_FALSE(receiver.ack_due());
  CHECK_FALSE(receiver.ack_pending());
  REQUIRE(queue.reconnected(told));
  const uint64_t skip = receiver.received() - told;
  receiver.peer_knows(told);
  receiver.release();
  const auto resent = write_all(queue);
  CHECK(resent == std::vector<int>{3, 4, 5, 6});
  CHECK(std::vector<int>(resent.begin() + static_cast<long>(skip), resent.end()) == std::vector<int>{5, 6});
  CHECK(receiver.ack_pending());
  REQUIRE(queue.acknowledge(receiver.received()));
  CHECK(outcomes.delivered == std::vector<int>{1, 2, 3, 4});
}
