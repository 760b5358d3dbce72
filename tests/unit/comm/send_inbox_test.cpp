#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

#include "comm/owned_message.hpp"
#include "comm/send_inbox.hpp"
#include "protocol/messages_v1.hpp"

using ferry::comm::Completion;
using ferry::comm::OwnedMessage;
using ferry::comm::SendInbox;
using ferry::comm::SendOptions;
using ferry::comm::SendResult;
using ferry::protocol::MessageView;

namespace {

std::vector<uint8_t> body_of(uint8_t seed, size_t size) {
  std::vector<uint8_t> body(size);
  for (size_t i = 0; i < size; ++i) body[i] = static_cast<uint8_t>(seed + i);
  return body;
}

}  // namespace

TEST_CASE("the inbox hands over its sends in order, with their bytes, options and completions") {
  SendInbox inbox;
  std::vector<int> completed;
  const auto completion = [&completed](int id) -> Completion {
    return [&completed, id](const SendResult&) { completed.push_back(id); };
  };
  SendOptions second_connection;
  second_connection.connection = 1;
  bool admitted = false;
  second_connection.admitted = [&admitted] { admitted = true; };

  {
    // The builders' buffers are gone before the strand reads the batch.
    const auto small = body_of(1, 64);
    const auto large = body_of(7, 5000);
    CHECK(inbox.add("peer-a", ferry::protocol::v1::data(10, small), completion(1), {}));
    CHECK_FALSE(inbox.add("peer-a", ferry::protocol::v1::data(11, large), completion(2), second_connection));
    CHECK_FALSE(inbox.add("peer-b", ferry::protocol::v1::ping(3, 4, {}), completion(3), {}));
  }

  SendInbox::Batch& batch = inbox.take();
  REQUIRE(batch.sends.size() == 3);
  CHECK(batch.peers == std::vector<std::string>{"peer-a", "peer-b"});
  std::array<ferry_type_field, ferry::protocol::Message::kMaxFields> fields;
  const std::vector<std::pair<uint64_t, std::vector<uint8_t>>> expected{{10, body_of(1, 64)},
                                                                        {11, body_of(7, 5000)}};
  for (size_t i = 0; i < 2; ++i) {
    CHECK(batch.sends[i].peer == 0);
    // The owned copy outlives the batch, as the delivery queue needs.
    const OwnedMessage owned = OwnedMessage::copy_of(batch.message(batch.sends[i], fields));
    const auto data = ferry::protocol::v1::read_data(MessageView(owned.view()));
    CHECK(data.channel == expected[i].first);
    CHECK(std::vector<uint8_t>(data.body.begin(), data.body.end()) == expected[i].second);
  }
  CHECK(batch.sends[2].peer == 1);
  const auto ping = ferry::protocol::v1::read_ping(MessageView(batch.message(batch.sends[2], fields)));
  CHECK(ping.sequence == 3);
  CHECK(ping.padding.empty());

  CHECK(batch.sends[1].options.connection == 1);
  batch.sends[1].options.admitted();
  CHECK(admitted);
  for (auto& send : batch.sends) send.completion(SendResult{true, {}});
  CHECK(completed == std::vector<int>{1, 2, 3});

  // Taken: the next send starts a new batch, and asks for a new drain.
  CHECK(inbox.add("peer-a", ferry::protocol::v1::data(12, {}), completion(4), {}));
  CHECK(inbox.take().sends.size() == 1);
  CHECK(inbox.take().sends.empty());
}
