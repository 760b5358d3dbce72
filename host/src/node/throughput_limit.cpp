#include "node/throughput_limit.hpp"

#include <algorithm>

namespace ferry::node {

namespace {
constexpr double kBurstSeconds = 0.1;
}

ThroughputLimit::ThroughputLimit(uint64_t bytes_per_s, Clock::time_point now)
    : rate_(static_cast<double>(bytes_per_s)), capacity_(rate_ * kBurstSeconds), refilled_(now) {}

ThroughputLimit::Clock::duration ThroughputLimit::take(uint64_t bytes, Clock::time_point now) {
  if (rate_ == 0) return Clock::duration::zero();
  if (now > refilled_) {
    tokens_ = std::min(capacity_, tokens_ + std::chrono::duration<double>(now - refilled_).count() * rate_);
    refilled_ = now;
  }
  tokens_ -= static_cast<double>(bytes);
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(-tokens_ / rate_));
}

}  // namespace ferry::node
