// The tcp plugin's configuration keys (the [transport] table besides plugin, listen and peers) and the
// socket options they become.
#pragma once

#include <cstdint>
#include <ferry/plugin.hpp>
#include <span>
#include <string_view>

namespace ferry::tcp {

std::span<const ferry_type_config_key> config_keys();

struct TcpOptions {
  int send_buffer = 0;      // bytes; 0 = the kernel's default (and its auto-tuning)
  int receive_buffer = 0;   // bytes; 0 = the kernel's default (and its auto-tuning)
  int keepalive_idle = 30;  // seconds of silence before the first probe; 0 = no keep-alive
  bool nodelay = true;
  int backlog = 1024;

  // Reads the keys the host has validated; throws FERRY_ERR_CONFIG for a value outside the declared range
  // (which only a host that skipped validation could pass).
  static TcpOptions from(const sdk::Host& host);
};

// Buffer sizes, on listeners too: accepted sockets inherit them, and the receive buffer must be set before
// the handshake to decide the TCP window scale. Throws naming the address.
void apply_buffers(int fd, const TcpOptions& options, std::string_view address);
// Buffers, TCP_NODELAY and keep-alive, on a socket that connects or was accepted.
void apply_connection_options(int fd, const TcpOptions& options, std::string_view address);

}  // namespace ferry::tcp
