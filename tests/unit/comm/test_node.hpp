// In-process nodes for the communication tests: a Communicator over the shipped tcp transport and codec
// on 127.0.0.1 (port chosen by the OS), which counts the numbered DATA messages it receives per channel
// and the outcomes of its own sends.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
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

namespace ferry::comm_test {

using namespace std::chrono_literals;

inline const ferry::plugin::Catalog& shipped_plugins() {
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
  // settings: "communication.KEY=VALUE" overrides on top of a fast reconnect backoff.
  TestNode(const std::string& name, const std::vector<std::string>& settings) {
    std::vector<std::string> overrides{
        "node.name=" + name,
        "node.id=" + ferry::util::random_uuid(),
        "transport.listen=127.0.0.1:0",
        "communication.connect_timeout=200ms",
        "communication.max_connect_timeout=200ms",
    };
    overrides.insert(overrides.end(), settings.begin(), settings.end());
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
    communicator_->ready();
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

  // Sends `count` more numbered messages on each connection to the peer (numbers go on across calls).
  void send_all(const std::string& peer, uint32_t connections, uint64_t count) {
    for (uint64_t i = 0; i < count; ++i)
      for (uint32_t connection = 0; connection < connections; ++connection) {
        const uint64_t sequence = next_sequence_[connection]++;
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
  std::map<uint32_t, uint64_t> next_sequence_;  // per connection; used by the sending thread only
};

// Polls until condition holds or about 10 s have passed.
template <typename Condition>
bool eventually(Condition condition) {
  for (int i = 0; i < 2000; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

inline uint64_t delivered(TestNode& node) {
  std::lock_guard lock(node.outcomes().mutex);
  return node.outcomes().delivered;
}

inline uint64_t received_in_order(TestNode& node) {
  std::lock_guard lock(node.received().mutex);
  return node.received().in_order;
}

}  // namespace ferry::comm_test
