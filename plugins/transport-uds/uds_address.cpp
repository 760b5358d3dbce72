#include "uds_address.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <ferry/transport.hpp>

namespace ferry::uds {
namespace {

constexpr size_t path_offset = offsetof(sockaddr_un, sun_path);
// A path needs its terminating NUL; an abstract name takes the leading NUL's place instead.
constexpr size_t max_path = sizeof(sockaddr_un::sun_path) - 1;

[[noreturn]] void invalid(std::string_view address, std::string_view problem) {
  // A long path would push the reason out of the error's 255 bytes: the reason goes first.
  std::string shown = sdk::printable(address.substr(0, 64));
  if (address.size() > 64) shown += "...";
  throw sdk::Error(FERRY_ERR_INVALID_ARGUMENT, "invalid uds address: " + std::string(problem) + ": \"" + shown + "\"");
}

}  // namespace

UdsAddress parse_address(std::string_view address) {
  if (address.empty())
    invalid(address,
            "it is empty; expected a socket path such as /run/ferry/node.sock, or @name for an abstract socket");
  if (address.find('\0') != std::string_view::npos) invalid(address, "it contains a NUL byte");
  UdsAddress result;
  result.storage.sun_family = AF_UNIX;
  result.abstract = address.front() == '@';
  const std::string_view name = result.abstract ? address.substr(1) : address;
  if (result.abstract && name.empty()) invalid(address, "an abstract socket needs a name after '@'");
  if (name.size() > max_path)
    invalid(address, "the " + std::string(result.abstract ? "name" : "path") + " is " + std::to_string(name.size()) +
                         " bytes, longer than the " + std::to_string(max_path) + " a Unix socket address can hold");
  // An abstract name starts after a NUL and is exactly as long as the address length says: no terminator.
  const size_t start = result.abstract ? 1 : 0;
  std::memcpy(result.storage.sun_path + start, name.data(), name.size());
  result.length = static_cast<socklen_t>(path_offset + start + name.size() + (result.abstract ? 0 : 1));
  if (!result.abstract) result.path = std::string(name);
  return result;
}

std::string format_address(const sockaddr_un& address, socklen_t length) {
  if (length <= path_offset) return "";
  const size_t size = std::min<size_t>(length - path_offset, sizeof address.sun_path);
  if (address.sun_path[0] == '\0') return "@" + sdk::printable(std::string_view(address.sun_path + 1, size - 1));
  return sdk::printable(std::string_view(address.sun_path, strnlen(address.sun_path, size)));
}

}  // namespace ferry::uds
