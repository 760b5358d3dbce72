#include <catch2/catch.hpp>

#include "comm/ping_stats.hpp"

using namespace std::chrono_literals;
using ferry::comm::PingStats;

TEST_CASE("ping statistics: percentiles, loss and duplicates", "[comm][ping]") {
  PingStats stats(100);
  for (int i = 1; i <= 100; ++i) stats.sent();
  for (int i = 1; i <= 98; ++i) stats.replied(i, std::chrono::microseconds(i));
  stats.replied(5, 1us);    // a second reply to ping 5
  stats.replied(500, 1us);  // a reply to a ping never sent
  const auto s = stats.summary(2s);
  CHECK(s.sent == 100);
  CHECK(s.received == 98);
  CHECK(s.lost == 2);
  CHECK(s.duplicated == 2);
  CHECK(s.reordered == 0);
  CHECK(s.rtt_p50_us == Approx(49));
  CHECK(s.rtt_p99_us == Approx(98));
  CHECK(s.rtt_max_us == Approx(98));
  CHECK(s.msgs_per_s == Approx(49));
}

TEST_CASE("ping statistics with no replies", "[comm][ping]") {
  PingStats stats(3);
  stats.sent();
  const auto s = stats.summary(1s);
  CHECK(s.lost == 1);
  CHECK(s.rtt_max_us == 0);
  CHECK(s.msgs_per_s == 0);
}

TEST_CASE("ping statistics count replies that overtook others", "[comm][ping]") {
  PingStats stats(4);
  for (const uint64_t sequence : {1, 3, 2, 4}) stats.replied(sequence, 1us);
  CHECK(stats.summary(1s).reordered == 1);
}

TEST_CASE("ping statistics keep pings refused by a full queue apart from lost ones", "[comm][ping]") {
  PingStats stats(4);
  for (int i = 1; i <= 4; ++i) stats.sent();
  stats.refused();
  for (const uint64_t sequence : {1, 2, 4}) stats.replied(sequence, 1us);
  const auto s = stats.summary(1s);
  CHECK(s.sent == 4);
  CHECK(s.refused == 1);
  CHECK(s.received == 3);
  CHECK(s.lost == 0);
}
