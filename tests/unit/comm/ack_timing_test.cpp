// When acknowledgements go out besides every ack_threshold messages: the last messages of a burst, fewer
// than the threshold, are acknowledged as soon as the receiver has read everything there was, not at the
// next ack_interval tick (a minute here), but within a hundredth of it.
#include <catch2/catch.hpp>

#include <chrono>

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
