// The `uds` transport: Unix domain stream sockets, for nodes on one machine. Descriptors are non-blocking
// and close-on-exec, and accept sendfile(2) like TCP sockets do.
//
// The socket file of a listener stays behind when the listener closes (only the host knows when that is).
// The next listen on the path replaces it, but only when it is a socket nobody listens on any more: a
// live listener, or a file that is not a socket, is an error, never silently taken over.
#include <sys/socket.h>
#include <sys/stat.h>

#include <ferry/transport.hpp>

#include "uds_address.hpp"
#include "uds_options.hpp"

namespace ferry::uds {
namespace {

constexpr int accept_attempts = 64;  // see the tcp plugin: bounds retries over connections that died queued

sdk::UniqueFd new_socket() { return sdk::UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)); }

std::string describe_fd(int fd, std::string_view address) {
  return address.empty() ? "descriptor " + std::to_string(fd) : sdk::printable(address);
}

// Removes the socket file at the target's path if nothing listens on it; throws when something does or
// when the path is not a socket. Connecting is the only way to tell a live socket from a stale one.
void remove_stale_socket(const UdsAddress& target, std::string_view address) {
  const std::string what = "cannot listen on " + sdk::printable(address);
  struct stat info {};
  if (::lstat(target.path.c_str(), &info) != 0) {
    if (errno == ENOENT) return;  // gone since bind failed: binding again will tell
    throw sdk::os_error(what, errno);
  }
  if (!S_ISSOCK(info.st_mode))
    throw sdk::Error(FERRY_ERR_IO, what + ": Address already in use (the path exists and is not a socket)");
  sdk::UniqueFd probe = new_socket();
  if (!probe.valid()) throw sdk::os_error(what, errno);
  if (::connect(probe.get(), target.get(), target.length) == 0 || errno == EAGAIN || errno == EINPROGRESS)
    throw sdk::Error(FERRY_ERR_IO, what + ": Address already in use (another process is listening on it)");
  if (errno != ECONNREFUSED) throw sdk::os_error(what, errno);
  if (::unlink(target.path.c_str()) != 0 && errno != ENOENT)
    throw sdk::os_error(what + ": cannot remove the stale socket file", errno);
}

std::string peer_name(int fd, const sockaddr_un& peer, socklen_t length) {
  std::string name = format_address(peer, length);
  if (!name.empty()) return name;
  // Connecting sockets are usually unnamed; the process behind one is what identifies it.
  ucred credentials{};
  socklen_t size = sizeof credentials;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) == 0)
    return "pid " + std::to_string(credentials.pid) + ", uid " + std::to_string(credentials.uid);
  return "(unnamed)";
}

class UdsTransport final : public sdk::Transport {
 public:
  static constexpr uint32_t transport_flags = FERRY_TRANSPORT_FLAG_SENDFILE;

  static sdk::PluginInfo info() {
    return {"uds", "1.0.0", "Unix domain stream sockets; addresses are paths, or @name for abstract sockets",
            config_keys()};
  }

  explicit UdsTransport(const sdk::Host& host) : options_(UdsOptions::from(host)) {}

  sdk::UniqueFd listen(std::string_view address) override {
    const UdsAddress target = parse_address(address);
    const std::string what = "cannot listen on " + sdk::printable(address);
    sdk::UniqueFd fd = new_socket();
    if (!fd.valid()) throw sdk::os_error(what, errno);
    apply_options(fd.get(), options_, address);
    if (::bind(fd.get(), target.get(), target.length) != 0) {
      if (errno != EADDRINUSE || target.abstract) throw sdk::os_error(what, errno);
      remove_stale_socket(target, address);
      if (::bind(fd.get(), target.get(), target.length) != 0) throw sdk::os_error(what, errno);
    }
    if (::listen(fd.get(), options_.backlog) != 0) throw sdk::os_error(what, errno);
    return fd;
  }

  std::optional<sdk::AcceptedConnection> accept(int listen_fd) override {
    for (int attempt = 0; attempt < accept_attempts; ++attempt) {
      sockaddr_un peer{};
      socklen_t length = sizeof peer;
      sdk::UniqueFd fd(::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (fd.valid()) {
        std::string name = peer_name(fd.get(), peer, length);
        apply_options(fd.get(), options_, name);
        return sdk::AcceptedConnection{std::move(fd), std::move(name)};
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) return std::nullopt;
      if (errno != EINTR && errno != ECONNABORTED)
        throw sdk::os_error("cannot accept on " + listener_name(listen_fd), errno);
    }
    return std::nullopt;
  }

  sdk::Connecting connect(std::string_view address) override {
    const UdsAddress target = parse_address(address);
    const std::string what = "cannot connect to " + sdk::printable(address);
    sdk::UniqueFd fd = new_socket();
    if (!fd.valid()) throw sdk::os_error(what, errno);
    apply_options(fd.get(), options_, address);
    if (::connect(fd.get(), target.get(), target.length) == 0) return {std::move(fd), false};
    if (errno == EINPROGRESS || errno == EINTR) return {std::move(fd), true};
    // A Unix socket never connects asynchronously: EAGAIN means the listener's queue is full right now.
    if (errno == EAGAIN) throw sdk::Error(FERRY_ERR_IO, what + ": the listener's queue is full (try again later)");
    throw sdk::os_error(what, errno);
  }

  bool connect_finish(int fd, std::string_view address) override {
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (error != 0) throw sdk::os_error("cannot connect to " + describe_fd(fd, address), error);
    sockaddr_un peer{};
    socklen_t peer_length = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) == 0) return true;
    if (errno == ENOTCONN) return false;
    throw sdk::os_error("cannot connect to " + describe_fd(fd, address), errno);
  }

  std::string local_address(int fd) override {
    sockaddr_un local{};
    socklen_t length = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0)
      throw sdk::os_error("cannot read the local address of descriptor " + std::to_string(fd), errno);
    const std::string name = format_address(local, length);
    return name.empty() ? "(unnamed)" : name;
  }

 private:
  std::string listener_name(int listen_fd) {
    try {
      return local_address(listen_fd);
    } catch (const sdk::Error&) {
      return "descriptor " + std::to_string(listen_fd);
    }
  }

  const UdsOptions options_;
};

}  // namespace
}  // namespace ferry::uds

FERRY_TRANSPORT_PLUGIN(ferry::uds::UdsTransport)
