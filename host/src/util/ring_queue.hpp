// A first-in first-out queue in one ring of slots that doubles when full and is reused as items come and
// go: a queue that stays about as long as it is allocates nothing. std::deque allocates a block every few
// items of a hundred bytes and frees it a few items later, which at millions of messages a second cost
// the delivery queue's thread more than its own work.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace ferry::util {

template <typename T>
class RingQueue {
 public:
  RingQueue() = default;
  RingQueue(RingQueue&& other) noexcept
      : slots_(std::move(other.slots_)), head_(std::exchange(other.head_, 0)), size_(std::exchange(other.size_, 0)) {
    other.slots_.clear();
  }
  RingQueue& operator=(RingQueue&& other) noexcept {
    if (this != &other) {
      slots_ = std::move(other.slots_);
      other.slots_.clear();
      head_ = std::exchange(other.head_, 0);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  RingQueue(const RingQueue&) = delete;
  RingQueue& operator=(const RingQueue&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  void push_back(T&& item) {
    if (size_ == slots_.size()) grow();
    slots_[slot(size_)].emplace(std::move(item));
    ++size_;
  }
  T& front() { return *slots_[head_]; }
  void pop_front() {
    slots_[head_].reset();
    head_ = slot(1);
    if (--size_ == 0 && slots_.size() > kKeptCapacity) {
      // A burst is over: an idle queue keeps little memory.
      std::vector<std::optional<T>>().swap(slots_);
      head_ = 0;
    }
  }
  // The index-th item from the front.
  T& operator[](size_t index) { return *slots_[slot(index)]; }
  const T& operator[](size_t index) const { return *slots_[slot(index)]; }

 private:
  static constexpr size_t kFirstCapacity = 16;
  static constexpr size_t kKeptCapacity = 1024;

  // Capacities are powers of two, so that wrapping is a mask.
  size_t slot(size_t index) const { return (head_ + index) & (slots_.size() - 1); }

  void grow() {
    std::vector<std::optional<T>> larger(slots_.empty() ? kFirstCapacity : slots_.size() * 2);
    for (size_t i = 0; i < size_; ++i) larger[i].emplace(std::move(*slots_[slot(i)]));
    slots_ = std::move(larger);
    head_ = 0;
  }

  std::vector<std::optional<T>> slots_;
  size_t head_ = 0;
  size_t size_ = 0;
};

}  // namespace ferry::util
