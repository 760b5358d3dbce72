// Owns one file descriptor and closes it on destruction, unless release() hands it on. The host keeps every
// descriptor a transport plugin gives it in one of these, so that no error path leaks a socket.
//
// Thread safety: like an int; one UniqueFd is used by one thread at a time.
#pragma once

#include <unistd.h>

#include <utility>

namespace ferry::util {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  explicit operator bool() const noexcept { return valid(); }
  // The descriptor, no longer owned.
  int release() noexcept { return std::exchange(fd_, -1); }
  // Closes the owned descriptor, if any, and owns fd instead. Linux frees the descriptor even when close()
  // fails (EINTR included), so a failed close is never retried: that could close someone else's descriptor.
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace ferry::util
