#include "cli/reach_peer.hpp"

#include <chrono>
#include <cstring>
#include <iostream>

namespace ferry::cli {

std::string interrupted_by(int signal) { return std::string("interrupted by SIG") + sigabbrev_np(signal); }

bool reach_peer(std::unique_lock<std::mutex>& lock, std::condition_variable& changed, const PeerState& peer,
                comm::Communicator& communicator, const std::string& address, double timeout_s) {
  using Clock = std::chrono::steady_clock;
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
  changed.wait_until(lock, deadline, [&] { return peer.connection || peer.gave_up || peer.stop_signal != 0; });
  if (peer.connection && peer.stop_signal == 0) return true;
  const std::string reason = peer.stop_signal != 0     ? interrupted_by(peer.stop_signal)
                             : peer.last_failure.empty() ? "no answer within the timeout"
                                                         : peer.last_failure;
  lock.unlock();
  communicator.stop(std::chrono::milliseconds(0));
  std::cerr << "error: cannot reach " << address << ": " << reason << '\n';
  lock.lock();
  return false;
}

}  // namespace ferry::cli
