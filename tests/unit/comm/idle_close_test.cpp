// Idle connections close after communication.idle_timeout and reopen on demand, from either side: the
// node that initiated reconnects itself; the other one connects to the address the initiator gave in its
// handshake. Nothing is lost across the close.
#include <catch2/catch.hpp>

#include "test_node.hpp"

using namespace ferry::comm_test;

namespace {

bool no_connections(TestNode& a, TestNode& b) {
  return a.communicator().connections().empty() && b.communicator().connections().empty();
}

}  // namespace

TEST_CASE("An idle connection closes and reopens when either side has something to send", "[comm][idle]") {
  const std::vector<std::string> settings{"communication.idle_timeout=300ms", "communication.ack_interval=20ms"};
  TestNode initiator("alpha", settings), responder("beta", settings);
  initiator.communicator().connect(responder.address());
  REQUIRE(eventually([&] { return initiator.communicator().connections().size() == 1; }));

  initiator.send_all(responder.id(), 1, 10);
  REQUIRE(eventually([&] { return delivered(initiator) == 10 && received_in_order(responder) == 10; }));
  // Nothing more to say: after idle_timeout the initiator closes, and both sides let the connection go.
  REQUIRE(eventually([&] { return no_connections(initiator, responder); }));
  std::this_thread::sleep_for(500ms);  // longer than the reconnect backoff: it stays closed while idle
  CHECK(no_connections(initiator, responder));

  // The responder has something to send: it connects to where the initiator listens.
  responder.send_all(initiator.id(), 1, 10);
  REQUIRE(eventually([&] { return delivered(responder) == 10 && received_in_order(initiator) == 10; }));
  const auto reopened = responder.communicator().connections();
  REQUIRE(reopened.size() == 1);
  CHECK(reopened[0].initiated);
  CHECK(reopened[0].peer_address == initiator.address());

  // Idle again; the side that reopened closes it, and the first initiator reopens for its own message.
  REQUIRE(eventually([&] { return no_connections(initiator, responder); }));
  initiator.send_all(responder.id(), 1, 5);
  REQUIRE(eventually([&] { return delivered(initiator) == 15 && received_in_order(responder) == 15; }));
  for (TestNode* node : {&initiator, &responder}) {
    std::lock_guard lock(node->outcomes().mutex);
    CHECK(node->outcomes().failures.empty());
  }
}

TEST_CASE("idle_timeout 0 keeps connections open", "[comm][idle]") {
  const std::vector<std::string> settings{"communication.idle_timeout=0s", "communication.ack_interval=20ms"};
  TestNode initiator("alpha", settings), responder("beta", settings);
  initiator.communicator().connect(responder.address());
  REQUIRE(eventually([&] { return initiator.communicator().connections().size() == 1; }));
  initiator.send_all(responder.id(), 1, 3);
  REQUIRE(eventually([&] { return delivered(initiator) == 3; }));
  std::this_thread::sleep_for(400ms);
  CHECK(initiator.communicator().connections().size() == 1);
  CHECK(responder.communicator().connections().size() == 1);
}
