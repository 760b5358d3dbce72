#include <catch2/catch.hpp>

#include "node/throughput_limit.hpp"

using ferry::node::ThroughputLimit;
using namespace std::chrono_literals;

namespace {
const ThroughputLimit::Clock::time_point start{};

double seconds(ThroughputLimit::Clock::duration duration) { return std::chrono::duration<double>(duration).count(); }
}  // namespace

TEST_CASE("No limit never waits", "[node][throughput]") {
  ThroughputLimit limit(0, start);
  CHECK(limit.take(uint64_t{1} << 40, start) == ThroughputLimit::Clock::duration::zero());
}

TEST_CASE("The bucket starts empty: the first chunk waits for its own tokens", "[node][throughput]") {
  ThroughputLimit limit(1000, start);
  CHECK(seconds(limit.take(500, start)) == Approx(0.5));
}

TEST_CASE("Chunks taken together wait in turn, so bytes leave at the rate", "[node][throughput]") {
  ThroughputLimit limit(1000, start);
  CHECK(seconds(limit.take(1000, start)) == Approx(1.0));
  CHECK(seconds(limit.take(1000, start)) == Approx(2.0));  // a second session's chunk, at the same moment
  CHECK(seconds(limit.take(1000, start + 2s)) == Approx(1.0));
}

TEST_CASE("An idle spell saves up at most 100 ms of tokens", "[node][throughput]") {
  ThroughputLimit limit(1000, start);
  CHECK(limit.take(100, start + 60s) == ThroughputLimit::Clock::duration::zero());
  CHECK(seconds(limit.take(100, start + 60s)) == Approx(0.1));
}

TEST_CASE("A chunk larger than the bucket still goes, after its debt is paid", "[node][throughput]") {
  ThroughputLimit limit(1000, start);
  CHECK(seconds(limit.take(10000, start + 60s)) == Approx(9.9));
}
