#include "tcp_options.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <ferry/transport.hpp>

namespace ferry::tcp {
namespace {

constexpr int64_t GiB = int64_t{1} << 30;
constexpr int64_t max_keepalive_idle_s = 32767;  // the kernel's MAX_TCP_KEEPIDLE
// Probes after the idle time: a dead peer is noticed about keepalive_idle + 3 * interval after it went
// silent, with the interval a third of the idle time, so within twice keepalive_idle.
constexpr int keepalive_probes = 3;

constexpr ferry_type_config_key keys[] = {
    {"send_buffer", FERRY_CONFIG_SIZE, 0, 0, GiB,
     "Socket send buffer (SO_SNDBUF); 0 = the kernel's default with auto-tuning"},
    {"receive_buffer", FERRY_CONFIG_SIZE, 0, 0, GiB,
     "Socket receive buffer (SO_RCVBUF); 0 = the kernel's default with auto-tuning"},
    {"keepalive_idle", FERRY_CONFIG_DURATION, 0, 0, max_keepalive_idle_s * 1000,
     "Idle time before TCP keep-alive probes start (default 30s, whole seconds); 0s = no keep-alive"},
    {"nodelay", FERRY_CONFIG_BOOLEAN, 0, 0, 0, "Send small writes at once (TCP_NODELAY); default true"},
    {"backlog", FERRY_CONFIG_INTEGER, 0, 1, 65535, "Connections the kernel queues before accept (default 1024)"},
};

int checked(const char* key, int64_t value, int64_t minimum, int64_t maximum) {
  if (value < minimum || value > maximum)
    throw sdk::Error(FERRY_ERR_CONFIG, std::string("tcp: ") + key + " = " + std::to_string(value) + " is not in " +
                                           std::to_string(minimum) + ".." + std::to_string(maximum));
  return static_cast<int>(value);
}

void set_option(int fd, int level, int name, int value, const char* option, std::string_view address) {
  if (setsockopt(fd, level, name, &value, sizeof value) != 0)
    throw sdk::os_error(std::string("cannot set ") + option + " on " + sdk::printable(address), errno);
}

}  // namespace

std::span<const ferry_type_config_key> config_keys() { return keys; }

TcpOptions TcpOptions::from(const sdk::Host& host) {
  TcpOptions options;
  if (auto value = host.config_integer("send_buffer")) options.send_buffer = checked("send_buffer", *value, 0, GiB);
  if (auto value = host.config_integer("receive_buffer"))
    options.receive_buffer = checked("receive_buffer", *value, 0, GiB);
  if (auto value = host.config_integer("keepalive_idle"))  // milliseconds, rounded up to whole seconds
    options.keepalive_idle =
        checked("keepalive_idle", *value, 0, max_keepalive_idle_s * 1000) / 1000 + (*value % 1000 != 0 ? 1 : 0);
  if (auto value = host.config_boolean("nodelay")) options.nodelay = *value;
  if (auto value = host.config_integer("backlog")) options.backlog = checked("backlog", *value, 1, 65535);
  return options;
}

void apply_buffers(int fd, const TcpOptions& options, std::string_view address) {
  // Setting a size turns the kernel's auto-tuning off, so 0 leaves the option alone.
  if (options.send_buffer > 0) set_option(fd, SOL_SOCKET, SO_SNDBUF, options.send_buffer, "SO_SNDBUF", address);
  if (options.receive_buffer > 0) set_option(fd, SOL_SOCKET, SO_RCVBUF, options.receive_buffer, "SO_RCVBUF", address);
}

void apply_connection_options(int fd, const TcpOptions& options, std::string_view address) {
  apply_buffers(fd, options, address);
  set_option(fd, IPPROTO_TCP, TCP_NODELAY, options.nodelay ? 1 : 0, "TCP_NODELAY", address);
  set_option(fd, SOL_SOCKET, SO_KEEPALIVE, options.keepalive_idle > 0 ? 1 : 0, "SO_KEEPALIVE", address);
  if (options.keepalive_idle == 0) return;
  const int interval = options.keepalive_idle >= 3 ? options.keepalive_idle / 3 : 1;
  set_option(fd, IPPROTO_TCP, TCP_KEEPIDLE, options.keepalive_idle, "TCP_KEEPIDLE", address);
  set_option(fd, IPPROTO_TCP, TCP_KEEPINTVL, interval, "TCP_KEEPINTVL", address);
  set_option(fd, IPPROTO_TCP, TCP_KEEPCNT, keepalive_probes, "TCP_KEEPCNT", address);
}

}  // namespace ferry::tcp
