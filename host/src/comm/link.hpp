// One link: a peer node and a connection index. Its delivery state outlives any one connection, so
// messages survive a cut as long as both processes live (PRODUCT.md §4).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "comm/delivery_queue.hpp"
#include "comm/owned_message.hpp"

namespace ferry::comm {

class Connection;

struct LinkKey {
  std::string peer_id;
  uint32_t index = 0;
  friend auto operator<=>(const LinkKey&, const LinkKey&) = default;
};

struct Link {
  Link(LinkKey k, DeliveryQueue<OwnedMessage>::Limits limits, uint64_t ack_threshold, bool producers_wait)
      : key(std::move(k)), outgoing(limits), incoming(ack_threshold), park_limit(producers_wait ? limits.queue_limit : 0) {}

  // Queues a message, or parks it while the queue is full (communication.queue_full = "wait"), or fails
  // its completion at once when parking is off or full too. Memory stays bounded either way.
  void offer(OwnedMessage message, Completion completion) {
    if (parked.empty() && outgoing.enqueue(std::move(message), std::move(completion))) return;
    if (parked.size() < park_limit) {
      parked.emplace_back(std::move(message), std::move(completion));
      return;
    }
    completion(SendResult{false, "the queue to peer '" + peer_name + "' is full (" +
                                     std::to_string(outgoing.waiting()) +
                                     " messages wait to be written; communication.message_queue_limit)"});
  }

  // Moves parked messages into the queue as far as it has room; called when messages were written.
  void admit_parked() {
    while (!parked.empty() && outgoing.enqueue(std::move(parked.front().first), std::move(parked.front().second)))
      parked.pop_front();
  }

  // Fails everything pending, queued or parked.
  void fail_all(const std::string& reason) {
    outgoing.fail_all(reason);
    auto failed = std::move(parked);
    parked.clear();
    for (auto& [message, completion] : failed) completion(SendResult{false, reason});
  }

  LinkKey key;
  std::string peer_name;
  uint64_t peer_incarnation = 0;  // 0 until the first handshake
  DeliveryQueue<OwnedMessage> outgoing;
  ReceiveCounter incoming;
  std::shared_ptr<Connection> connection;  // the live connection, if any
  std::string gone;  // why the peer left (it said it was stopping); sends fail at once until it is back
  bool idle = false;  // its connection closed for idleness with nothing pending: reopened on demand
  std::string reopen_address;  // where the peer listens, when it connected to this node and said so
  size_t park_limit;                        // 0 when producers get "queue full" instead of waiting
  std::deque<std::pair<OwnedMessage, Completion>> parked;
};

}  // namespace ferry::comm
