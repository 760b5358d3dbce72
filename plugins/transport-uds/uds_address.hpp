// uds addresses: a filesystem path ("/run/ferry/node.sock", or relative to the working directory), or
// "@name" for a Linux abstract socket, which lives in the network namespace instead of the filesystem
// and disappears with its last descriptor.
#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <string>
#include <string_view>

namespace ferry::uds {

struct UdsAddress {
  sockaddr_un storage{};
  socklen_t length = 0;
  bool abstract = false;
  std::string path;  // the filesystem path; empty for an abstract socket

  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// Throws ferry::sdk::Error(FERRY_ERR_INVALID_ARGUMENT) naming the address and what is wrong: empty, a NUL
// byte, or longer than a socket address can hold (107 bytes of path on Linux).
UdsAddress parse_address(std::string_view address);

// The path, "@name" for an abstract socket, or "" for an unnamed one (a connecting client's socket).
std::string format_address(const sockaddr_un& address, socklen_t length);

}  // namespace ferry::uds
