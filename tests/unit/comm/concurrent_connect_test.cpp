// Two in-process nodes on 127.0.0.1 connect to each other at the same moment, 100 times for each of
// connections_per_peer 1 and 4, paired and not. Each time both must end with exactly the configured
// connections, the same ones seen from either side, and every message sent while they settle must arrive
// once, in order per connection, with its completion reporting delivery.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "comm/communicator.hpp"
#include "config/config.hpp"
#include "handshake/text.hpp"
#include "node/communication_setup.hpp"
#include "node/sink_setup.hpp"
#include "plugin/catalog.hpp"
#include "protocol/messages_v1.hpp"
#include "runtime/event_loop.hpp"
#include "util/uuid.hpp"

namespace {

using namespace std::chrono_literals;
using ferry::comm::ConnectionSummary;

constexpr int kRepetitions = 100;
constexpr uint64_t kMessagesPerConnection = 40;

const ferry::plugin::Catalog& shipped_plugins() {
  static const auto catalog =
      ferry::plugin::Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, ferry::plugin::FilePolicy{false, 0});
  return catalog;
}

// What one node received, per connection (the DATA channel carries the connection the sender chose).
struct Received {
  std::mutex mutex;
  std::map<uint64_t, uint64_t> next;  // channel -> the sequence expected next
  uint64_t in_order = 0, out_of_order = 0;
};

// Delivery outcomes of one node's sends.
struct Outcomes {
  std::mutex mutex;
  uint64_t delivered = 0;
  std::vector<std::string> failures;
};

class TestNode {
 public:
  TestNode(const std::string& name, uint32_t connections, bool paired) {
    const std::vector<std::string> overrides{
        "node.name=" + name,
        "node.id=" + ferry::util::random_uuid(),
        "transport.listen=127.0.0.1:0",
        "communication.connections_per_peer=" + std::to_string(connections),
        std::string("communication.paired_connections=") + (paired ? "true" : "false"),
        "communication.connect_timeout=200ms",
        "communication.max_connect_timeout=200ms",
    };
    auto loaded = ferry::config::load_string("", name + ".toml", overrides);
    REQUIRE(loaded.errors.empty());
    config_ = std::move(*loaded.config);
    std::vector<ferry::config::ConfigError> errors;
    const auto transport = ferry::node::resolve_transport(config_, shipped_plugins(), errors);
    REQUIRE(transport);
    id_ = config_.node.id;
    auto prepared = ferry::node::prepare_communication(config_, shipped_plugins(), *transport,
                                                       *ferry::handshake::parse_node_id(id_), loop_);
    REQUIRE(std::holds_alternative<ferry::comm::CommunicatorOptions>(prepared));
    communicator_ = std::make_unique<ferry::comm::Communicator>(
        loop_, std::move(std::get<ferry::comm::CommunicatorOptions>(prepared)));
    communicator_->set_handlers([this](const std::string&, const ferry::protocol::MessageView& message) { count(message); },
                                {}, {});
    auto bound = communicator_->listen(config_.transport.listen);
    REQUIRE(std::holds_alternative<std::string>(bound));
    address_ = std::get<std::string>(bound);
  }

  ~TestNode() {
    communicator_->stop(100ms);
    loop_.stop();
  }

  const std::string& id() const { return id_; }
  const std::string& address() const { return address_; }
  ferry::comm::Communicator& communicator() { return *communicator_; }
  Received& received() { return received_; }
  Outcomes& outcomes() { return outcomes_; }

  // Sends kMessagesPerConnection numbered messages on each connection to the peer.
  void send_all(const std::string& peer, uint32_t connections) {
    for (uint64_t sequence = 0; sequence < kMessagesPerConnection; ++sequence)
      for (uint32_t connection = 0; connection < connections; ++connection) {
        uint8_t body[8];
        std::memcpy(body, &sequence, sizeof body);
        communicator_->send(
            peer, ferry::protocol::v1::data(connection, body),
            [this](const ferry::comm::SendResult& result) {
              std::lock_guard lock(outcomes_.mutex);
              if (result.delivered)
                ++outcomes_.delivered;
              else
                outcomes_.failures.push_back(result.reason);
            },
            {connection});
      }
  }

 private:
  void count(const ferry::protocol::MessageView& message) {
    if (message.type() != FERRY_MSG_DATA) return;
    const auto data = ferry::protocol::v1::read_data(message);
    uint64_t sequence = 0;
    if (data.body.size() == sizeof sequence) std::memcpy(&sequence, data.body.data(), sizeof sequence);
    std::lock_guard lock(received_.mutex);
    uint64_t& expected = received_.next[data.channel];
    if (data.body.size() == sizeof sequence && sequence == expected) {
      ++expected;
      ++received_.in_order;
    } else {
      ++received_.out_of_order;
    }
  }

  ferry::runtime::EventLoop loop_{1};
  ferry::config::Config config_;
  std::string id_, address_;
  std::unique_ptr<ferry::comm::Communicator> communicator_;
  Received received_;
  Outcomes outcomes_;
};

// A connection as both ends can name it: its two addresses, in order.
std::set<std::pair<std::string, std::string>> ends(const std::vector<ConnectionSummary>& connections) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& c : connections) out.insert(std::minmax(c.local_address, c.peer_address));
  return out;
}

std::set<uint32_t> indexes(const std::vector<ConnectionSummary>& connections) {
  std::set<uint32_t> out;
  for (const auto& c : connections) out.insert(c.connection_index);
  return out;
}

bool settled(TestNode& a, TestNode& b, size_t slots) {
  const auto at_a = a.communicator().connections(), at_b = b.communicator().connections();
  return at_a.size() == slots && at_b.size() == slots && indexes(at_a).size() == slots && ends(at_a) == ends(at_b);
}

uint64_t delivered(TestNode& node) {
  std::lock_guard lock(node.outcomes().mutex);
  return node.outcomes().delivered;
}

uint64_t received_in_order(TestNode& node) {
  std::lock_guard lock(node.received().mutex);
  return node.received().in_order;
}

// Polls until condition holds or about 10 s have passed.
template <typename Condition>
bool eventually(Condition condition) {
  for (int i = 0; i < 2000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

void connect_at_once(uint32_t connections, bool paired) {
  const size_t slots = connections * (paired ? 2u : 1u);
  const uint64_t expected = kMessagesPerConnection * connections;
  for (int repetition = 0; repetition < kRepetitions; ++repetition) {
    INFO("repetition " << repetition);
    TestNode a("alpha", connections, paired), b("beta", connections, paired);
    a.communicator().connect(b.address());
    b.communicator().connect(a.address());

    // Send as soon as each knows the other, while the connections are still settling.
    REQUIRE(eventually([&] { return !a.communicator().connections().empty(); }));
    a.send_all(b.id(), connections);
    REQUIRE(eventually([&] { return !b.communicator().connections().empty(); }));
    b.send_all(a.id(), connections);

    REQUIRE(eventually([&] {
      return delivered(a) == expected && delivered(b) == expected && received_in_order(a) == expected &&
             received_in_order(b) == expected && settled(a, b, slots);
    }));
    // Settled means settled: nothing reconnects or replaces a connection afterwards.
    const auto before = ends(a.communicator().connections());
    std::this_thread::sleep_for(20ms);
    CHECK(ends(a.communicator().connections()) == before);
    CHECK(settled(a, b, slots));
    for (TestNode* node : {&a, &b}) {
      std::lock_guard lock(node->outcomes().mutex);
      CHECK(node->outcomes().failures.empty());
      std::lock_guard received_lock(node->received().mutex);
      CHECK(node->received().out_of_order == 0);
    }
  }
}

}  // namespace

TEST_CASE("Simultaneous connects settle on one connection per index: 1 connection", "[comm][concurrent]") {
  connect_at_once(1, false);
}

TEST_CASE("Simultaneous connects settle on one connection per index: 4 connections", "[comm][concurrent]") {
  connect_at_once(4, false);
}

TEST_CASE("Simultaneous connects settle on one connection per index: 1 paired", "[comm][concurrent]") {
  connect_at_once(1, true);
}

TEST_CASE("Simultaneous connects settle on one connection per index: 4 paired", "[comm][concurrent]") {
  connect_at_once(4, true);
}
