#include "runtime/systemd_notify.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace ferry::runtime {
namespace {

// Closes the socket on every path out of notify().
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::string failure(const std::string& socket, const char* what, int error) {
  return "cannot notify the service manager at " + socket + ": " + what + ": " + std::strerror(error);
}

}  // namespace

ServiceNotifier::ServiceNotifier(std::string socket) : socket_(std::move(socket)) {}

ServiceNotifier ServiceNotifier::from_environment() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return ServiceNotifier(socket ? socket : "");
}

std::string ServiceNotifier::notify(std::string_view state) const {
  if (socket_.empty()) return "";
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_[0] != '/' && socket_[0] != '@')
    return "cannot notify the service manager: NOTIFY_SOCKET \"" + socket_ +
           "\" is neither an absolute path nor an abstract name starting with @";
  if (socket_.size() >= sizeof(address.sun_path))
    return "cannot notify the service manager: NOTIFY_SOCKET is longer than " +
           std::to_string(sizeof(address.sun_path) - 1) + " bytes";
  std::memcpy(address.sun_path, socket_.data(), socket_.size());
  // An abstract name is the bytes after a leading NUL, and its length counts, not a terminator.
  if (socket_[0] == '@') address.sun_path[0] = '\0';
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_.size());

  const Descriptor descriptor{::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  if (descriptor.fd < 0) return failure(socket_, "socket", errno);
  const ssize_t sent = ::sendto(descriptor.fd, state.data(), state.size(), MSG_NOSIGNAL,
                                reinterpret_cast<const sockaddr*>(&address), length);
  if (sent < 0) return failure(socket_, "sendto", errno);
  return "";
}

std::string ServiceNotifier::reloading() const {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  const long long microseconds = static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
  return notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(microseconds));
}

}  // namespace ferry::runtime
