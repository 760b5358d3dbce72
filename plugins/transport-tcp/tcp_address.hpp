// tcp addresses: "HOST:PORT", "[IPV6]:PORT", or ":PORT" (every interface, for listening), parsed, resolved
// and printed. Literal addresses are resolved without any lookup; host names go through getaddrinfo, which
// blocks: the host calls listen and connect at start-up and at (re)connect time, where that is acceptable.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::tcp {

enum class Purpose { listen, connect };

struct HostPort {
  std::string host;  // without brackets; empty = every interface
  uint16_t port = 0;
};

// Throws ferry::sdk::Error(FERRY_ERR_INVALID_ARGUMENT) naming the address and what is wrong with it.
// Port 0 (the system picks one) is accepted for listening only; so is an empty host.
HostPort parse_address(std::string_view address, Purpose purpose);

struct Endpoint {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family() const { return storage.ss_family; }
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// Every endpoint the address stands for, in the resolver's order of preference. An empty host gives the
// IPv6 wildcard first (dual-stack where the system allows it), then the IPv4 one. Throws when a name does
// not resolve.
std::vector<Endpoint> resolve(const HostPort& target, std::string_view address, Purpose purpose);

// "127.0.0.1:7400", "[::1]:7400"; IPv4-mapped IPv6 addresses print as IPv4.
std::string format_endpoint(const sockaddr* address, socklen_t length);

}  // namespace ferry::tcp
