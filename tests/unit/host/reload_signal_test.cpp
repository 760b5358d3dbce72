// SIGHUP asks a node's event loop for a reload, as often as it comes, and a stop still ends the wait.
// The signals go to the process, as kill(1) and systemd send them: the loop reads them from a signalfd,
// which does not see a signal raise() directs at another thread.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <csignal>

#include "runtime/event_loop.hpp"

TEST_CASE("SIGHUP wakes the loop's waiter for a reload, and a stop request ends it", "[runtime][reload]") {
  ferry::runtime::EventLoop loop(1, ferry::runtime::Signals::stop_and_reload);
  for (int round = 0; round < 2; ++round) {
    ::kill(::getpid(), SIGHUP);
    const auto wake = loop.wait_for_signal();
    CHECK(wake.reload);
    CHECK(wake.signal == SIGHUP);
  }
  loop.request_stop();
  const auto wake = loop.wait_for_signal();
  CHECK_FALSE(wake.reload);
  CHECK(wake.signal == 0);
}
