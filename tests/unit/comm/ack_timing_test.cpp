// When acknowledgements go out: once per read that brought ack_threshold messages or more, however many
// thresholds it crossed; and the last messages of a burst, fewer than the threshold, as soon as the
// receiver has read everything there was, not at the next ack_interval tick (a minute here), but within a
// hundredth of it.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>

#include "comm/traffic_metrics.hpp"
#include "test_node.hpp"

using namespace ferry::comm_test;

TEST_CASE("The end of a burst is acknowledged once the receiver has read it all", "[comm][ack]") {
  const std::vector<std::string> settings{"communication.ack_threshold=1000", "communication.ack_interval=1m"};
  TestNode sender("alpha", settings), receiver("beta", settings);
  sender.communicator().connect(receiver.address());
  REQUIRE(eventually([&] { return sender.communicator().connections().size() == 1; }));

  const auto started = std::chrono::steady_clock::now();
  sender.send_all(receiver.id(), 1, 5);
  REQUIRE(eventually([&] { return delivered(sender) == 5; }));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  CHECK(received_in_order(receiver) == 5);
}

TEST_CASE("A read of many messages is acknowledged once, not once per ack_threshold", "[comm][ack]") {
  const std::vector<std::string> settings{"communication.ack_threshold=4", "communication.ack_interval=1m"};
  TestNode sender("alpha", settings), receiver("beta", settings);
  // The receiver hands over nothing until the whole burst waits in its socket: a few reads then bring it.
  std::atomic<bool> reading{false};
  receiver.communicator().set_read_gate([&reading] { return reading.load(); });
  sender.communicator().connect(receiver.address());
  REQUIRE(eventually([&] { return sender.communicator().connections().size() == 1; }));

  constexpr uint64_t kBurst = 2000;
  const uint64_t acks_before = ferry::comm::traffic_metrics().acks_sent.value();
  sender.send_all(receiver.id(), 1, kBurst);
  REQUIRE(eventually([&] {
    const auto connections = sender.communicator().connections();
    return connections.size() == 1 && connections[0].unacknowledged == kBurst;
  }));
  reading = true;
  REQUIRE(eventually([&] { return delivered(sender) == kBurst; }));
  CHECK(received_in_order(receiver) == kBurst);
  // An ACK per ack_threshold messages would be 500; the burst (about 40 KiB) takes a few reads.
  const uint64_t acks = ferry::comm::traffic_metrics().acks_sent.value() - acks_before;
  CHECK(acks >= 1);
  CHECK(acks <= 10);
}
