#include "runtime/event_loop.hpp"

#include <pthread.h>
#include <sys/signalfd.h>

#include <utility>
#include <string>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <map>
#include <stdexcept>
#include <system_error>
#include <mutex>
#include <optional>
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
  std::function<void(int)> stop_handler;

  // The watched signals are blocked and read from a signalfd on a loop thread, never taken by a handler
  // on whatever thread the kernel picks: under ThreadSanitizer such a handler lost a node's SIGTERM now
  // and then (its runtime defers handlers it cannot run at once), and plugin threads have no business
  // being interrupted by them.
  std::optional<asio::posix::stream_descriptor> signal_fd;
  signalfd_siginfo received{};

  // A stop signal ends the watch; SIGHUP is noted and the watch goes on.
  void watch_signals() {
    const auto read = [this](const boost::system::error_code& error, std::size_t) {
      if (error) return;
      const int signal = static_cast<int>(received.ssi_signo);
      std::function<void(int)> handler;
      {
        std::lock_guard lock(mutex);
        if (signal == SIGHUP) {
          reload_flag = true;
          watch_signals();
        } else {
          stop_signal = signal;
          stop_flag = true;
          handler = stop_handler;
        }
        stop_requested.notify_all();
      }
      if (handler) handler(signal);
    };
    signal_fd->async_read_some(asio::buffer(&received, sizeof received), read);
  }
};

EventLoop::EventLoop(unsigned threads, Signals signals) : impl_(std::make_unique<Impl>(std::max(1u, threads))) {
  if (signals != Signals::none) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    if (signals == Signals::stop_and_reload) sigaddset(&set, SIGHUP);
    // On this thread, and so on every thread it starts from here on, the loop's own included.
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    const int fd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "signalfd");
    impl_->signal_fd.emplace(impl_->context, fd);
    impl_->watch_signals();
  }
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

void EventLoop::on_stop_signal(std::function<void(int)> handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->stop_handler = std::move(handler);
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
  if (impl_->signal_fd) asio::post(impl_->context, [impl = impl_.get()] { impl->signal_fd->close(); });
  impl_->work.reset();
  for (auto& thread : impl_->threads) thread.join();
  impl_->threads.clear();
}

}  // namespace ferry::runtime
