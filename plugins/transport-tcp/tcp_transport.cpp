// The `tcp` transport: TCP over IPv4 and IPv6. Descriptors are non-blocking and close-on-exec; connected
// and accepted sockets get TCP_NODELAY, keep-alive and the configured buffer sizes, and accept sendfile(2).
#include <netinet/in.h>
#include <sys/socket.h>

#include <ferry/transport.hpp>

#include "tcp_address.hpp"
#include "tcp_options.hpp"

namespace ferry::tcp {
namespace {

// accept(2) passes on errors of connections that died in the queue; the next one may be fine. The bound
// keeps one call short however many there are: the listener stays readable, so the host calls again.
constexpr int accept_attempts = 64;

bool connection_gone(int err) {
  switch (err) {
    case EINTR:
    case ECONNABORTED:
    case EPROTO:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
      return true;
    default:
      return false;
  }
}

std::string describe_fd(int fd, std::string_view address) {
  return address.empty() ? "descriptor " + std::to_string(fd) : sdk::printable(address);
}

class TcpTransport final : public sdk::Transport {
 public:
  static constexpr uint32_t transport_flags = FERRY_TRANSPORT_FLAG_SENDFILE;

  static sdk::PluginInfo info() {
    return {"tcp", "1.0.0", "TCP over IPv4 and IPv6; addresses are HOST:PORT or [IPV6]:PORT", config_keys()};
  }

  explicit TcpTransport(const sdk::Host& host) : options_(TcpOptions::from(host)) {}

  sdk::UniqueFd listen(std::string_view address) override {
    const HostPort target = parse_address(address, Purpose::listen);
    int last_error = EADDRNOTAVAIL;
    for (const Endpoint& endpoint : resolve(target, address, Purpose::listen)) {
      sdk::UniqueFd fd(::socket(endpoint.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
      if (!fd.valid()) {
        last_error = errno;
        continue;
      }
      set_flag(fd.get(), SOL_SOCKET, SO_REUSEADDR, 1, address);
      // The IPv6 wildcard also takes IPv4 connections, whatever the system's default is.
      if (target.host.empty() && endpoint.family() == AF_INET6)
        set_flag(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 0, address);
      apply_buffers(fd.get(), options_, address);
      if (::bind(fd.get(), endpoint.get(), endpoint.length) == 0 && ::listen(fd.get(), options_.backlog) == 0)
        return fd;
      last_error = errno;
    }
    throw sdk::os_error("cannot listen on " + sdk::printable(address), last_error);
  }

  std::optional<sdk::AcceptedConnection> accept(int listen_fd) override {
    for (int attempt = 0; attempt < accept_attempts; ++attempt) {
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      sdk::UniqueFd fd(::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (fd.valid()) {
        std::string name = format_endpoint(reinterpret_cast<const sockaddr*>(&peer), length);
        apply_connection_options(fd.get(), options_, name);
        return sdk::AcceptedConnection{std::move(fd), std::move(name)};
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) return std::nullopt;
      if (!connection_gone(errno)) throw sdk::os_error("cannot accept on " + listener_name(listen_fd), errno);
    }
    return std::nullopt;
  }

  sdk::Connecting connect(std::string_view address) override {
    const HostPort target = parse_address(address, Purpose::connect);
    int last_error = EADDRNOTAVAIL;
    // Each address is tried while connect fails at once; a connection that fails later is reported by
    // connect_finish, and the host's reconnect logic tries again.
    for (const Endpoint& endpoint : resolve(target, address, Purpose::connect)) {
      sdk::UniqueFd fd(::socket(endpoint.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
      if (!fd.valid()) {
        last_error = errno;
        continue;
      }
      // Before connect, so that the SYN already offers the window the buffers allow.
      apply_connection_options(fd.get(), options_, address);
      if (::connect(fd.get(), endpoint.get(), endpoint.length) == 0) return {std::move(fd), false};
      // EINTR on a non-blocking socket: the connection goes on asynchronously, like EINPROGRESS.
      if (errno == EINPROGRESS || errno == EINTR) return {std::move(fd), true};
      last_error = errno;
    }
    throw sdk::os_error("cannot connect to " + sdk::printable(address), last_error);
  }

  bool connect_finish(int fd, std::string_view address) override {
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (error != 0) throw sdk::os_error("cannot connect to " + describe_fd(fd, address), error);
    sockaddr_storage peer{};
    socklen_t peer_length = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) == 0) return true;
    if (errno == ENOTCONN) return false;
    throw sdk::os_error("cannot connect to " + describe_fd(fd, address), errno);
  }

  std::string local_address(int fd) override {
    sockaddr_storage local{};
    socklen_t length = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0)
      throw sdk::os_error("cannot read the local address of descriptor " + std::to_string(fd), errno);
    return format_endpoint(reinterpret_cast<const sockaddr*>(&local), length);
  }

 private:
  static void set_flag(int fd, int level, int name, int value, std::string_view address) {
    if (setsockopt(fd, level, name, &value, sizeof value) != 0)
      throw sdk::os_error("cannot listen on " + sdk::printable(address), errno);
  }

  std::string listener_name(int listen_fd) {
    try {
      return local_address(listen_fd);
    } catch (const sdk::Error&) {
      return "descriptor " + std::to_string(listen_fd);
    }
  }

  const TcpOptions options_;
};

}  // namespace
}  // namespace ferry::tcp

FERRY_TRANSPORT_PLUGIN(ferry::tcp::TcpTransport)
