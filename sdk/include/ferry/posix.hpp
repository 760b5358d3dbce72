// ferry C++ helpers for plugins that make system calls: a descriptor owner, and errors built from errno.
// Header-only, compiled into the plugin; used by the transport layer and by plugins directly.
#ifndef FERRY_POSIX_HPP
#define FERRY_POSIX_HPP

#include <unistd.h>

#include <cerrno>
#include <ferry/plugin.hpp>
#include <string>
#include <string_view>
#include <system_error>

namespace ferry::sdk {

// Owns one file descriptor and closes it, unless release() hands it on.
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
  int release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Linux releases the descriptor even when close() fails, so it is never retried.
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// The status that best describes an errno value.
inline ferry_type_status status_of_errno(int err) noexcept {
  switch (err) {
    case EACCES:
    case EPERM:
    case EROFS:
      return FERRY_ERR_PERMISSION;
    case ENOENT:
      return FERRY_ERR_NOT_FOUND;
    default:
      return FERRY_ERR_IO;
  }
}

// "cannot listen on 127.0.0.1:7400: Address already in use", with the status that fits err.
inline Error os_error(std::string_view what, int err) {
  return Error(status_of_errno(err), std::string(what) + ": " + std::generic_category().message(err));
}

// An address or a path as it may appear in a message and a log line: control bytes (a NUL, a newline) become \xNN,
// so that a malformed name cannot forge or cut a line.
inline std::string printable(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\') {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace ferry::sdk

#endif  // FERRY_POSIX_HPP
