// The uds plugin's configuration keys (the [transport] table besides plugin, listen and peers). Unix
// stream sockets have no Nagle algorithm or keep-alive, and Linux ignores their receive buffer size, so
// the send buffer and the backlog are all there is to tune.
#pragma once

#include <ferry/plugin.hpp>
#include <span>
#include <string_view>

namespace ferry::uds {

std::span<const ferry_type_config_key> config_keys();

struct UdsOptions {
  int send_buffer = 0;  // bytes; 0 = the kernel's default
  int backlog = 1024;

  // Reads the keys the host has validated; throws FERRY_ERR_CONFIG for a value outside the declared range.
  static UdsOptions from(const sdk::Host& host);
};

// Throws naming the address.
void apply_options(int fd, const UdsOptions& options, std::string_view address);

}  // namespace ferry::uds
