// One link: a peer node and a connection index. Its delivery state outlives any one connection, so
// messages survive a cut as long as both processes live (PRODUCT.md §4).
//
// Back-pressure: a message offered to the link is admitted into its bounded DeliveryQueue when there is
// room, and its producer is told so (Admitted). Without room it is parked (communication.queue_full =
// "wait") and admitted in order as written messages free room, or refused at once ("error"). At most
// queue_limit messages are parked, so per link at most unacked_limit + queue_limit messages are queued
// and queue_limit more parked (none in "error" mode), however long the peer stalls; a producer that keeps
// at most queue_limit messages unadmitted is held back and never refused.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "comm/delivery_queue.hpp"
#include "comm/owned_message.hpp"

namespace ferry::comm {

class Connection;

// Called once when a message enters the bounded queue. Never called for a message refused or failed
// before that: its completion then reports the failure.
using Admitted = std::function<void()>;

struct LinkKey {
  std::string peer_id;
  uint32_t index = 0;
  friend auto operator<=>(const LinkKey&, const LinkKey&) = default;
};

struct Link {
  Link(LinkKey k, DeliveryQueue<OwnedMessage>::Limits limits, uint64_t ack_threshold, bool producers_wait)
      : key(std::move(k)),
        outgoing(limits),
        incoming(ack_threshold),
        queue_limit(limits.queue_limit),
        park_limit(producers_wait ? limits.queue_limit : 0) {}
  // Parked messages never reach the queue, whose destructor fails only what it holds.
  ~Link() { fail_all("the link was closed"); }
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Admits the message into the queue, or parks it behind those already parked, or fails its completion
  // at once with SendResult::queue_full set.
  void offer(OwnedMessage message, Completion completion, Admitted admitted = {}) {
    if (parked.empty() && outgoing.enqueue(std::move(message), std::move(completion))) {
      if (admitted) admitted();
      return;
    }
    if (parked.size() < park_limit) {
      parked.push_back(Parked{std::move(message), std::move(completion), std::move(admitted)});
      return;
    }
    completion(SendResult{false, full_reason(), true});
  }

  // Moves parked messages into the queue, in order, as far as it has room, telling each producer.
  // Called before and after the connection fills a write batch, which is what frees room.
  void admit_parked() {
    while (!parked.empty() && outgoing.enqueue(std::move(parked.front().message), std::move(parked.front().completion))) {
      Admitted admitted = std::move(parked.front().admitted);
      parked.pop_front();
      if (admitted) admitted();
    }
  }

  // Fails everything pending, queued then parked, each completion exactly once.
  void fail_all(const std::string& reason) {
    outgoing.fail_all(reason);
    auto failed = std::move(parked);
    parked.clear();
    for (auto& entry : failed) entry.completion(SendResult{false, reason});
  }

  struct Parked {
    OwnedMessage message;
    Completion completion;
    Admitted admitted;
  };

  LinkKey key;
  std::string peer_name;
  uint64_t peer_incarnation = 0;  // 0 until the first handshake
  DeliveryQueue<OwnedMessage> outgoing;
  ReceiveCounter incoming;
  std::shared_ptr<Connection> connection;  // the live connection, if any
  std::string gone;  // why the peer left (it said it was stopping); sends fail at once until it is back
  bool idle = false;  // its connection closed for idleness with nothing pending: reopened on demand
  std::string reopen_address;  // where the peer listens, when it connected to this node and said so
  size_t queue_limit;
  size_t park_limit;  // 0 when producers get "queue full" instead of waiting
  std::deque<Parked> parked;

 private:
  std::string full_reason() const {
    const std::string full = "the queue to peer '" + peer_name + "' is full: " +
                             std::to_string(outgoing.waiting()) + " messages wait to be written";
    const std::string limit = "communication.message_queue_limit = " + std::to_string(queue_limit);
    if (park_limit == 0) return full + " (" + limit + ", communication.queue_full = \"error\")";
    return full + " and " + std::to_string(parked.size()) +
           " more wait for room, the most communication.queue_full = \"wait\" holds (" + limit +
           "); a producer must wait for its messages to be admitted before sending more";
  }
};

}  // namespace ferry::comm
