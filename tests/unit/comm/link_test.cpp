#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "comm/link.hpp"
#include "protocol/messages_v1.hpp"

using ferry::comm::Link;
using ferry::comm::LinkKey;
using ferry::comm::OwnedMessage;
using ferry::comm::SendResult;

namespace {

// What the producers of a test learned, in the order they learned it.
struct Producers {
  std::vector<int> admitted;
  std::vector<int> delivered;
  std::vector<std::pair<int, SendResult>> failed;

  void offer(Link& link, int id) {
    link.offer(OwnedMessage::copy_of(ferry::protocol::v1::data(static_cast<uint64_t>(id), {})),
               [this, id](const SendResult& result) {
                 if (result.delivered)
                   delivered.push_back(id);
                 else
                   failed.emplace_back(id, result);
               },
               [this, id] { admitted.push_back(id); });
  }
};

const LinkKey key{"peer-id", 0};

// Writes what the queue lets through, as the connection's write loop does; returns the ids written.
std::vector<int> write_batch(Link& link) {
  std::vector<int> written;
  link.admit_parked();
  while (const auto* entry = link.outgoing.next_to_write()) {
    written.push_back(static_cast<int>(ferry::protocol::v1::read_data(ferry::protocol::MessageView(entry->message.view())).channel));
    link.outgoing.mark_written();
  }
  link.admit_parked();
  return written;
}

}  // namespace

TEST_CASE("a link admits messages at once while its queue has room, in order", "[comm][link]") {
  Producers producers;  // declared first: the link fails what it holds into it when destroyed
  Link link(key, {4, 100}, 32, true);
  for (int id = 1; id <= 3; ++id) producers.offer(link, id);
  CHECK(producers.admitted == std::vector<int>{1, 2, 3});
  CHECK(link.parked.empty());
  CHECK(write_batch(link) == std::vector<int>{1, 2, 3});
  CHECK(link.outgoing.acknowledge(3));
  CHECK(producers.delivered == std::vector<int>{1, 2, 3});
  CHECK(producers.failed.empty());
}

TEST_CASE("with queue_full = wait, messages beyond the queue are parked and admitted in order as writes free room",
          "[comm][link]") {
  Producers producers;
  Link link(key, {2, 3}, 32, true);
  for (int id = 1; id <= 4; ++id) producers.offer(link, id);
  CHECK(producers.admitted == std::vector<int>{1, 2});
  CHECK(link.parked.size() == 2);

  CHECK(write_batch(link) == std::vector<int>{1, 2});
  CHECK(producers.admitted == std::vector<int>{1, 2, 3, 4});
  CHECK(link.parked.empty());

  producers.offer(link, 5);
  CHECK(link.parked.size() == 1);
  // The unacked bound (3) stops the writer after one more; that one frees room for the parked message.
  CHECK(write_batch(link) == std::vector<int>{3});
  CHECK(producers.admitted == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(link.outgoing.acknowledge(3));
  CHECK(write_batch(link) == std::vector<int>{4, 5});
  CHECK(link.outgoing.acknowledge(5));
  CHECK(producers.delivered == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(producers.failed.empty());
}

TEST_CASE("a message offered while others are parked queues behind them, even when room has freed", "[comm][link]") {
  Producers producers;
  Link link(key, {2, 10}, 32, true);
  for (int id = 1; id <= 3; ++id) producers.offer(link, id);
  REQUIRE(link.outgoing.next_to_write() != nullptr);
  link.outgoing.mark_written();  // room for one, not yet handed to the parked message
  producers.offer(link, 4);
  CHECK(producers.admitted == std::vector<int>{1, 2});
  CHECK(link.parked.size() == 2);
  link.admit_parked();
  CHECK(producers.admitted == std::vector<int>{1, 2, 3});
  CHECK(write_batch(link) == std::vector<int>{2, 3});
  CHECK(producers.admitted == std::vector<int>{1, 2, 3, 4});
}

TEST_CASE("with queue_full = wait, a producer that does not wait is refused once as many again are parked",
          "[comm][link]") {
  Producers producers;
  Link link(key, {2, 10}, 32, true);
  link.peer_name = "receiver";
  for (int id = 1; id <= 5; ++id) producers.offer(link, id);
  CHECK(producers.admitted == std::vector<int>{1, 2});
  CHECK(link.parked.size() == 2);
  REQUIRE(producers.failed.size() == 1);
  const auto& [id, result] = producers.failed.front();
  CHECK(id == 5);
  CHECK(result.queue_full);
  CHECK_THAT(result.reason, Catch::Contains("peer 'receiver'") && Catch::Contains("message_queue_limit = 2") &&
                                Catch::Contains("wait"));
}

TEST_CASE("with queue_full = error, a full queue fails the completion at once, flagged and explained", "[comm][link]") {
  Producers producers;
  Link link(key, {2, 10}, 32, false);
  link.peer_name = "receiver";
  for (int id = 1; id <= 3; ++id) producers.offer(link, id);
  CHECK(producers.admitted == std::vector<int>{1, 2});
  CHECK(link.parked.empty());
  REQUIRE(producers.failed.size() == 1);
  const auto& [id, result] = producers.failed.front();
  CHECK(id == 3);
  CHECK_FALSE(result.delivered);
  CHECK(result.queue_full);
  CHECK_THAT(result.reason, Catch::Contains("peer 'receiver'") && Catch::Contains("communication.message_queue_limit = 2") &&
                                Catch::Contains("\"error\""));

  // Once written messages free room, sending again succeeds.
  CHECK(write_batch(link) == std::vector<int>{1, 2});
  producers.offer(link, 4);
  CHECK(producers.admitted == std::vector<int>{1, 2, 4});
}

TEST_CASE("failing a link fails its queued then its parked messages, each exactly once", "[comm][link]") {
  Producers producers;
  {
    Link link(key, {1, 10}, 32, true);
    for (int id = 1; id <= 2; ++id) producers.offer(link, id);
    REQUIRE(link.parked.size() == 1);
    link.fail_all("peer 'receiver' stopped");
    CHECK(link.parked.empty());
    link.fail_all("failed again");
  }  // destroying the link has nothing left to fail
  CHECK(producers.admitted == std::vector<int>{1});
  REQUIRE(producers.failed.size() == 2);
  CHECK(producers.failed[0].first == 1);
  CHECK(producers.failed[1].first == 2);
  for (const auto& [id, result] : producers.failed) {
    CHECK(result.reason == "peer 'receiver' stopped");
    CHECK_FALSE(result.queue_full);
  }
}

TEST_CASE("destroying a link fails its parked messages too", "[comm][link]") {
  Producers producers;
  {
    Link link(key, {2, 10}, 32, true);
    for (int id = 1; id <= 3; ++id) producers.offer(link, id);
    REQUIRE(link.parked.size() == 1);
  }
  REQUIRE(producers.failed.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(producers.failed[static_cast<size_t>(i)].first == i + 1);
    CHECK(producers.failed[static_cast<size_t>(i)].second.reason == "the link was closed");
  }
  CHECK(producers.admitted == std::vector<int>{1, 2});
}
