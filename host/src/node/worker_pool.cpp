#include "node/worker_pool.hpp"

#include <utility>

namespace ferry::node {

WorkerPool::WorkerPool(unsigned threads) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkerPool::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
}

void WorkerPool::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void SerialQueue::post(std::function<void()> task) {
  std::lock_guard lock(mutex_);
  tasks_.push_back(std::move(task));
  if (running_) return;
  running_ = true;
  pool_.post([self = shared_from_this()] { self->drain(); });
}

// One task per turn, so that a busy session does not hold a worker while other sessions wait.
void SerialQueue::drain() {
  std::function<void()> task;
  {
    std::lock_guard lock(mutex_);
    task = std::move(tasks_.front());
    tasks_.pop_front();
  }
  task();
  std::lock_guard lock(mutex_);
  if (tasks_.empty()) {
    running_ = false;
    return;
  }
  pool_.post([self = shared_from_this()] { self->drain(); });
}

}  // namespace ferry::node
