// What the transient nodes of `ferry ping`, `send` and `fetch` share: waiting until the connection to the
// node is up, retrying transient failures (refused connections, cuts during the handshake) until the
// timeout, and giving up at once on a permanent refusal.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "comm/communicator.hpp"

namespace ferry::cli {

// What the communicator's connected and failure handlers record, under the caller's mutex.
struct PeerState {
  std::optional<comm::ConnectionSummary> connection;
  std::string last_failure;
  bool gave_up = false;  // a permanent refusal: no point waiting for the timeout
  int stop_signal = 0;   // SIGINT or SIGTERM, once the user asked the command to stop
};

// "interrupted by SIGINT": the reason a command gives when a stop signal ended its work.
std::string interrupted_by(int signal);

// Waits (lock held on entry and exit) for the connection; when none came (or a stop signal came first),
// stops the communicator, prints "error: cannot reach ADDRESS: REASON" and returns false.
bool reach_peer(std::unique_lock<std::mutex>& lock, std::condition_variable& changed, const PeerState& peer,
                comm::Communicator& communicator, const std::string& address, double timeout_s);

}  // namespace ferry::cli
