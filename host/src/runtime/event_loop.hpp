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

class EventLoop {
 public:
  // With reload_signal, SIGHUP asks for a reload (wait_for_signal) instead of ending the process.
  explicit EventLoop(unsigned threads, bool reload_signal = false);
  ~EventLoop();  // stops and joins
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // False once stopping has begun: the work is then dropped without running.
  bool post(std::function<void()> work);

  // Calls fire(false) after delay, or fire(true) if cancelled or the loop stops first. fire is called
  // exactly once either way. Returns 0 (and calls nothing) once stopping has begun.
  uint64_t start_timer(std::chrono::milliseconds delay, std::function<void(bool cancelled)> fire);
  void cancel_timer(uint64_t id);

  // Blocks until SIGINT or SIGTERM arrives (or request_stop is called); returns the signal number, or 0.
  int wait_for_stop_signal();
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
