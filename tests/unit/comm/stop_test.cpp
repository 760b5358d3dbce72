// Once Communicator::stop has returned, the node calls none of its handlers again: commands free what the
// handlers reach right after stop (ferry ping's state lives on its stack), so a late call would touch
// freed memory.
#include <catch2/catch.hpp>

#include <atomic>

#include "silent_listener.hpp"
#include "test_node.hpp"

using namespace ferry::comm_test;

TEST_CASE("No handler runs after stop has returned, not even for the handshakes stop cut short", "[comm][stop]") {
  SilentListener silent;
  TestNode node("alpha", {"communication.connections_per_peer=4", "communication.handshake_timeout=30s"});
  std::atomic<int> failures{0};
  node.communicator().set_handlers({}, {}, [&failures](const std::string&, const std::string&, bool) { ++failures; });
  node.communicator().connect(silent.address());
  std::this_thread::sleep_for(300ms);  // four handshakes now wait for an answer that never comes
  REQUIRE(failures == 0);

  node.communicator().stop(0ms);
  std::this_thread::sleep_for(300ms);
  // Stop cut the four handshakes short: that is no failure to report, and nothing may be called now.
  CHECK(failures == 0);
}

TEST_CASE("A stopping node acknowledges what it received, so its peer's sends complete as delivered",
          "[comm][stop]") {
  // beta acknowledges neither by count nor by time before it stops (the end of a burst it would
  // acknowledge after ack_interval / 100, 600 ms): only its stop can.
  TestNode alpha("alpha", {}), beta("beta", {"communication.ack_threshold=1000", "communication.ack_interval=1m"});
  alpha.communicator().connect(beta.address());
  REQUIRE(eventually([&] { return alpha.communicator().connections().size() == 1; }));
  alpha.send_all(beta.id(), 1, 10);
  REQUIRE(eventually([&] { return received_in_order(beta) == 10; }));
  CHECK(delivered(alpha) == 0);

  beta.communicator().stop(100ms);
  REQUIRE(eventually([&] { return delivered(alpha) == 10; }));
  std::lock_guard lock(alpha.outcomes().mutex);
  CHECK(alpha.outcomes().failures.empty());
}
