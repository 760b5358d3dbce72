// What `ferry ping` reports: round-trip percentiles, rate, and whether any reply was lost or repeated.
// Pure bookkeeping, fed by the ping loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace ferry::comm {

struct PingSummary {
  uint64_t sent = 0, received = 0, lost = 0, duplicated = 0;
  uint64_t refused = 0;  // sent but refused at once by a full queue (queue_full = "error"): not lost, never left
  uint64_t reordered = 0;  // replies that arrived after a reply to a later ping (one link is FIFO)
  double rtt_p50_us = 0, rtt_p99_us = 0, rtt_max_us = 0;
  double msgs_per_s = 0;  // replies received per second of the whole run
};

class PingStats {
 public:
  explicit PingStats(uint64_t count) : seen_(count, false) { rtts_us_.reserve(count); }

  void sent(uint64_t count = 1) { sent_ += count; }
  // A ping counted by sent() that the layer refused because the queue was full: no reply will come.
  void refused() { ++refused_; }
  // A reply to ping number sequence (1-based) that was sent rtt ago. Unknown sequences count as
  // duplicates too: a reply nobody asked for is as wrong as one that came twice.
  void replied(uint64_t sequence, std::chrono::nanoseconds rtt);
  PingSummary summary(std::chrono::nanoseconds elapsed) const;

 private:
  std::vector<bool> seen_;
  std::vector<double> rtts_us_;
  uint64_t sent_ = 0, refused_ = 0, duplicated_ = 0, reordered_ = 0, highest_ = 0;
};

}  // namespace ferry::comm
