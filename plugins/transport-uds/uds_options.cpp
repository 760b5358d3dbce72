#include "uds_options.hpp"

#include <sys/socket.h>

#include <ferry/transport.hpp>

namespace ferry::uds {
namespace {

constexpr int64_t GiB = int64_t{1} << 30;

constexpr ferry_type_config_key keys[] = {
    {"send_buffer", FERRY_CONFIG_SIZE, 0, 0, GiB,
     "Socket send buffer (SO_SNDBUF): bytes in flight per connection; 0 = the kernel's default"},
    {"backlog", FERRY_CONFIG_INTEGER, 0, 1, 65535, "Connections the kernel queues before accept (default 1024)"},
};

int checked(const char* key, int64_t value, int64_t minimum, int64_t maximum) {
  if (value < minimum || value > maximum)
    throw sdk::Error(FERRY_ERR_CONFIG, std::string("uds: ") + key + " = " + std::to_string(value) + " is not in " +
                                           std::to_string(minimum) + ".." + std::to_string(maximum));
  return static_cast<int>(value);
}

}  // namespace

std::span<const ferry_type_config_key> config_keys() { return keys; }

UdsOptions UdsOptions::from(const sdk::Host& host) {
  UdsOptions options;
  if (auto value = host.config_integer("send_buffer")) options.send_buffer = checked("send_buffer", *value, 0, GiB);
  if (auto value = host.config_integer("backlog")) options.backlog = checked("backlog", *value, 1, 65535);
  return options;
}

void apply_options(int fd, const UdsOptions& options, std::string_view address) {
  if (options.send_buffer == 0) return;
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &options.send_buffer, sizeof options.send_buffer) != 0)
    throw sdk::os_error("cannot set SO_SNDBUF on " + sdk::printable(address), errno);
}

}  // namespace ferry::uds
