// stream.throughput_limit as a token bucket shared by all of a node's sessions (docs/streaming.md,
// "Throughput limit"). Each chunk a session is about to read for sending takes its length in tokens;
// tokens come back at the limit's rate. A chunk taken from an empty bucket leaves it in debt, and its
// sender waits until the debt is paid: so bytes leave at the limit's rate however many sessions share it,
// and a chunk larger than the bucket still goes. The bucket starts empty and keeps at most 100 ms of
// tokens, so that an idle spell cannot save up a burst that would overshoot the limit.
//
// Thread safety: none; the stream service uses it under its lock.
#pragma once

#include <chrono>
#include <cstdint>

namespace ferry::node {

class ThroughputLimit {
 public:
  using Clock = std::chrono::steady_clock;

  // bytes_per_s 0: no limit.
  ThroughputLimit(uint64_t bytes_per_s, Clock::time_point now);

  // Takes bytes at now; how long to wait before sending them (zero when the bucket held them).
  Clock::duration take(uint64_t bytes, Clock::time_point now);

 private:
  double rate_;      // bytes per second
  double capacity_;  // the most tokens the bucket keeps
  double tokens_ = 0;  // negative: a debt
  Clock::time_point refilled_;
};

}  // namespace ferry::node
