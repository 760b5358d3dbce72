// The burn-in stream's bookkeeping: what a sender sends again, and how a receiver classifies numbers
// across a restart of either side.
#include <catch2/catch.hpp>

#include "node/burn_in_ledger.hpp"

using ferry::node::BurnInReceiver;
using ferry::node::BurnInSender;
using Verdict = BurnInReceiver::Verdict;

TEST_CASE("a burn-in message is its stream and number, 16 bytes", "[node][burn-in]") {
  const auto body = ferry::node::encode_burn_in({0x0102030405060708, 42});
  CHECK(body.size() == 16);
  const auto decoded = ferry::node::decode_burn_in(body);
  REQUIRE(decoded);
  CHECK(decoded->stream == 0x0102030405060708);
  CHECK(decoded->sequence == 42);
  CHECK_FALSE(ferry::node::decode_burn_in(std::span(body).first(15)));
}

TEST_CASE("a sender keeps a window and sends failed numbers again before new ones", "[node][burn-in]") {
  BurnInSender sender;
  CHECK(sender.take(3, 4) == std::vector<uint64_t>{1, 2, 3});
  CHECK(sender.take(3, 4) == std::vector<uint64_t>{4});  // the window is full
  sender.completed(1, true);
  sender.completed(2, false);
  sender.completed(3, false);
  CHECK(sender.paused());
  CHECK(sender.take(5, 4).empty());
  sender.resume();
  CHECK(sender.take(5, 4) == std::vector<uint64_t>{2, 3, 5});
  CHECK(sender.acknowledged() == 1);
  CHECK(sender.resent() == 2);
  CHECK(sender.sent() == 5);
  CHECK(sender.in_flight() == 4);
}

TEST_CASE("a receiver accepts each number once and in order", "[node][burn-in]") {
  BurnInReceiver receiver;
  CHECK(receiver.receive("a", {9, 1}) == Verdict::accepted);
  CHECK(receiver.receive("a", {9, 2}) == Verdict::accepted);
  CHECK(receiver.receive("a", {9, 2}) == Verdict::duplicated);
  CHECK(receiver.receive("a", {9, 5}) == Verdict::lost);
  CHECK(receiver.receive("b", {9, 1}) == Verdict::accepted);  // another peer's stream
  const auto& stream = receiver.streams().at({"a", 9});
  CHECK(stream.next == 6);
  CHECK(stream.accepted == 3);
  CHECK(stream.duplicated == 1);
  CHECK(stream.lost == 2);
}

TEST_CASE("across a restart, numbers the previous run had are dropped as resent, not duplicated",
          "[node][burn-in]") {
  BurnInReceiver before;
  for (uint64_t n = 1; n <= 10; ++n) REQUIRE(before.receive("a", {9, n}) == Verdict::accepted);
  const std::string saved = before.positions();
  CHECK(saved == "a 9 11\n");

  BurnInReceiver after;
  CHECK(after.restore(saved) == 1);
  // The sender had 8..10 unacknowledged when the receiver stopped, and sends them again.
  CHECK(after.receive("a", {9, 8}) == Verdict::resent);
  CHECK(after.receive("a", {9, 10}) == Verdict::resent);
  CHECK(after.receive("a", {9, 11}) == Verdict::accepted);
  // Once this run has accepted from the stream, an old number is a real duplicate.
  CHECK(after.receive("a", {9, 9}) == Verdict::duplicated);
  // A stream the previous run never saw starts at 1.
  CHECK(after.receive("c", {4, 3}) == Verdict::lost);
  CHECK_FALSE(after.restore("a nine 11\n"));
  CHECK_FALSE(after.restore("a 9 0\n"));
}
