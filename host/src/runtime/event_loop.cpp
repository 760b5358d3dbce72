#include "runtime/event_loop.hpp"

#include <utility>
#include <string>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <condition_variable>
#include <csignal>
#include <map>
#include <stdexcept>
#include <mutex>
#include <thread>

namespace ferry::runtime {

namespace asio = boost::asio;

struct EventLoop::Impl {
  // The number of threads that run it is Asio's concurrency hint: with one, what that thread posts goes
  // to its private queue, without the shared queue's lock or a wake-up of the reactor.
  explicit Impl(unsigned threads) : context(static_cast<int>(threads)) {}

  asio::io_context context;
  asio::executor_work_guard<asio::io_context::executor_type> work{context.get_executor()};
  std::vector<std::thread> threads;
  std::mutex stop_mutex;  // serialises stop(); taken before mutex, never while holding it

  std::mutex mutex;
  bool stopping = false;
  uint64_t next_timer = 1;
  std::map<uint64_t, std::shared_ptr<asio::steady_timer>> timers;

  std::condition_variable stop_requested;
  int stop_signal = 0;
  bool stop_flag = false;
  bool reload_flag = false;
  asio::signal_set signals{context, SIGINT, SIGTERM};

  // A stop signal ends the watch; SIGHUP is noted and the watch goes on.
  void watch_signals() {
    signals.async_wait([this](const boost::system::error_code& error, int signal) {
      if (error) return;
      std::lock_guard lock(mutex);
      if (signal == SIGHUP) {
        reload_flag = true;
        watch_signals();
      } else {
        stop_signal = signal;
        stop_flag = true;
      }
      stop_requested.notify_all();
    });
  }
};

EventLoop::EventLoop(unsigned threads, bool reload_signal) : impl_(std::make_unique<Impl>(std::max(1u, threads))) {
  if (reload_signal) impl_->signals.add(SIGHUP);
  impl_->watch_signals();
  for (unsigned i = 0; i < std::max(1u, threads); ++i)
    impl_->threads.emplace_back([impl = impl_.get()] { impl->context.run(); });
}

EventLoop::~EventLoop() { stop(); }

bool EventLoop::post(std::function<void()> work) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->stopping) return false;
  asio::post(impl_->context, std::move(work));
  return true;
}

uint64_t EventLoop::start_timer(std::chrono::milliseconds delay, std::function<void(bool)> fire) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->stopping) return 0;
  const uint64_t id = impl_->next_timer++;
  auto timer = std::make_shared<asio::steady_timer>(impl_->context, delay);
  impl_->timers.emplace(id, timer);
  timer->async_wait([impl = impl_.get(), id, timer, fire = std::move(fire)](const boost::system::error_code& error) {
    {
      std::lock_guard lock(impl->mutex);
      impl->timers.erase(id);
    }
    fire(error == asio::error::operation_aborted);
  });
  return id;
}

boost::asio::io_context& EventLoop::context() { return impl_->context; }

void EventLoop::cancel_timer(uint64_t id) {
  std::lock_guard lock(impl_->mutex);
  if (const auto it = impl_->timers.find(id); it != impl_->timers.end()) it->second->cancel();
}

int EventLoop::wait_for_stop_signal() {
  std::unique_lock lock(impl_->mutex);
  impl_->stop_requested.wait(lock, [&] { return impl_->stop_flag; });
  return impl_->stop_signal;
}

EventLoop::Wake EventLoop::wait_for_signal() {
  std::unique_lock lock(impl_->mutex);
  impl_->stop_requested.wait(lock, [&] { return impl_->stop_flag || impl_->reload_flag; });
  if (impl_->stop_flag) return {false, impl_->stop_signal};
  impl_->reload_flag = false;
  return {true, SIGHUP};
}

void EventLoop::request_stop() {
  std::lock_guard lock(impl_->mutex);
  impl_->stop_flag = true;
  impl_->stop_requested.notify_all();
}

void EventLoop::stop() {
  std::lock_guard stop_lock(impl_->stop_mutex);
  for (const auto& thread : impl_->threads)
    if (thread.get_id() == std::this_thread::get_id())
      throw std::logic_error("EventLoop::stop called on one of the loop's own threads");
  if (impl_->threads.empty()) return;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    for (auto& [id, timer] : impl_->timers) timer->cancel();
  }
  asio::post(impl_->context, [impl = impl_.get()] { impl->signals.cancel(); });
  impl_->work.reset();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace ferry::runtime
