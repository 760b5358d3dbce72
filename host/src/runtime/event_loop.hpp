// The host's threads: one Asio io_context run by `communication.io_threads` threads. Everything the
// host and its plugins do asynchronously runs here. Asio stays inside event_loop.cpp so that the rest
// of the host compiles without it.
//
// Thread safety: every member may be called from any thread, except that stop() (and so the destructor)
// must not run on one of the loop's own threads, which it joins.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace ferry::runtime {

// Which signals the loop takes from the process: none (their default actions stand), SIGINT and SIGTERM
// as stop requests, or those and SIGHUP as a reload request. A loop that takes them blocks them on the
// thread that creates it, which every thread started later inherits: create it before any other thread,
// since one started earlier would still receive them, with their default actions.
enum class Signals { none, stop, stop_and_reload };

class EventLoop {
 public:
  explicit EventLoop(unsigned threads, Signals signals = Signals::none);
  ~EventLoop();  // stops and joins
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // False once stopping has begun: the work is then dropped without running.
  bool post(std::function<void()> work);

  // Calls fire(false) after delay, or fire(true) if cancelled or the loop stops first. fire is called
  // exactly once either way. Returns 0 (and calls nothing) once stopping has begun.
  uint64_t start_timer(std::chrono::milliseconds delay, std::function<void(bool cancelled)> fire);
  void cancel_timer(uint64_t id);

  // Called on a loop thread with the signal's number when SIGINT or SIGTERM arrives, for a command that
  // waits for something else meanwhile; wait_for_signal wakes as well.
  void on_stop_signal(std::function<void(int signal)> handler);
  void request_stop();

  // What woke wait_for_signal: a stop (signal number, or 0 for request_stop) or a reload request.
  struct Wake {
    bool reload = false;
    int signal = 0;
  };
  // Blocks until a stop or a reload is requested. Reloads requested while none was waited for are
  // merged into one; a stop wins over a pending reload.
  Wake wait_for_signal();

  // For the modules that do their I/O with Asio themselves (the communication layer).
  boost::asio::io_context& context();

  // Refuses new work, cancels every timer, lets what is queued finish, and joins the threads. Idempotent;
  // concurrent calls wait for the first. Throws std::logic_error when called on a loop thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ferry::runtime
