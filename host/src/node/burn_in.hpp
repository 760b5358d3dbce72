// `ferry node --burn-in RATE`: every node sends RATE numbered test messages per second to every peer it
// is connected to, checks the ones it receives, and logs both sides every second and at stop
// (docs/operations.md, "Checking a cluster with a burn-in stream"). The rules of what is counted are in
// burn_in_ledger.hpp. Positions are kept across a clean restart in node.data_dir/burn-in-positions.
//
// Thread safety: every member may be called from any thread; one mutex guards the ledger.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "comm/communicator.hpp"
#include "node/burn_in_ledger.hpp"

namespace spdlog {
class logger;
}

namespace ferry::runtime {
class EventLoop;
}

namespace ferry::node {

class BurnIn : public std::enable_shared_from_this<BurnIn> {
 public:
  struct Options {
    uint32_t rate = 0;     // messages per second to each peer
    size_t window = 256;   // at most this many unacknowledged per peer (below message_queue_limit)
    uint64_t stream = 0;   // this run's stream id: the node's incarnation
    std::filesystem::path positions_file;
  };

  // Restores the positions a previous run saved, then sends every tick until stop().
  static std::shared_ptr<BurnIn> start(comm::Communicator& communicator, runtime::EventLoop& loop, Options options);

  // From the node's handlers, on the communicator's strand.
  void connected(const comm::ConnectionSummary& connection);
  // The peer stopped: what failed waits for it to connect again, however long that takes.
  void departed(const std::string& peer_id);
  // True when message was a burn-in message (DATA on kBurnInChannel), which it then checks.
  bool receive(const std::string& peer_id, const protocol::MessageView& message);

  // Sends nothing more; sends under way still complete.
  void stop();
  // After the communicator has stopped: the last report, and the positions saved for the next run.
  void finish();

 private:
  struct Peer {
    std::string name;
    BurnInSender sender;
    std::chrono::steady_clock::time_point paused_at{};
    bool departed = false;
  };

  BurnIn(comm::Communicator& communicator, runtime::EventLoop& loop, Options options);
  void schedule();
  void tick();
  void send_to(const std::string& peer_id, Peer& peer, size_t budget);
  void completed(const std::string& peer_id, uint64_t sequence, const comm::SendResult& result);
  void report(const char* when);
  std::string name_of(const std::string& peer_id) const;

  comm::Communicator& communicator_;
  runtime::EventLoop& loop_;
  Options options_;
  std::shared_ptr<spdlog::logger> log_;
  std::mutex mutex_;
  bool stopped_ = false;
  std::map<std::string, Peer> peers_;
  BurnInReceiver receiver_;
  double credit_ = 0;  // messages per peer owed by the rate, carried between ticks
  std::chrono::steady_clock::time_point last_tick_, last_report_;
};

}  // namespace ferry::node
