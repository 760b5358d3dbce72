#include "comm/ping_stats.hpp"

#include <algorithm>
#include <cmath>

namespace ferry::comm {

void PingStats::replied(uint64_t sequence, std::chrono::nanoseconds rtt) {
  if (sequence == 0 || sequence > seen_.size() || seen_[sequence - 1]) {
    ++duplicated_;
    return;
  }
  seen_[sequence - 1] = true;
  if (sequence < highest_) ++reordered_;
  highest_ = std::max(highest_, sequence);
  rtts_us_.push_back(std::chrono::duration<double, std::micro>(rtt).count());
}

PingSummary PingStats::summary(std::chrono::nanoseconds elapsed) const {
  PingSummary s;
  s.sent = sent_;
  s.received = rtts_us_.size();
  s.refused = refused_;
  s.lost = s.sent - s.refused - s.received;
  s.duplicated = duplicated_;
  s.reordered = reordered_;
  if (!rtts_us_.empty()) {
    // Three ranks need no full sort: a selection each (a sort of millions of round trips took longer
    // than sending them).
    std::vector<double> ranked = rtts_us_;
    // Nearest-rank percentiles: the smallest value with at least p% of the samples at or below it.
    const auto rank = [&](double p) {
      const auto index = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(ranked.size())));
      const auto nth = ranked.begin() + static_cast<ptrdiff_t>(std::clamp<size_t>(index, 1, ranked.size()) - 1);
      std::nth_element(ranked.begin(), nth, ranked.end());
      return *nth;
    };
    s.rtt_p50_us = rank(50);
    s.rtt_p99_us = rank(99);
    s.rtt_max_us = *std::max_element(ranked.begin(), ranked.end());
  }
  const double seconds = std::chrono::duration<double>(elapsed).count();
  s.msgs_per_s = seconds > 0 ? static_cast<double>(s.received) / seconds : 0;
  return s;
}

}  // namespace ferry::comm
