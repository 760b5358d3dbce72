#include "comm/same_host.hpp"

#include <netinet/in.h>

#include <cstring>

namespace ferry::comm {

namespace {

bool loopback_v4(const in_addr& address) { return (ntohl(address.s_addr) >> 24) == 127; }

// An IPv4 address written as IPv6 (::ffff:a.b.c.d), as a dual-stack listener sees IPv4 peers.
bool mapped_v4(const in6_addr& address, in_addr& out) {
  if (!IN6_IS_ADDR_V4MAPPED(&address)) return false;
  std::memcpy(&out.s_addr, address.s6_addr + 12, 4);
  return true;
}

}  // namespace

bool same_host(const sockaddr_storage& local, const sockaddr_storage& peer) {
  if (local.ss_family == AF_UNIX || peer.ss_family == AF_UNIX) return true;
  if (local.ss_family == AF_INET && peer.ss_family == AF_INET) {
    const auto& ours = reinterpret_cast<const sockaddr_in&>(local).sin_addr;
    const auto& theirs = reinterpret_cast<const sockaddr_in&>(peer).sin_addr;
    return loopback_v4(theirs) || ours.s_addr == theirs.s_addr;
  }
  if (local.ss_family == AF_INET6 && peer.ss_family == AF_INET6) {
    const auto& ours = reinterpret_cast<const sockaddr_in6&>(local).sin6_addr;
    const auto& theirs = reinterpret_cast<const sockaddr_in6&>(peer).sin6_addr;
    in_addr v4{};
    if (IN6_IS_ADDR_LOOPBACK(&theirs) || (mapped_v4(theirs, v4) && loopback_v4(v4))) return true;
    return std::memcmp(&ours, &theirs, sizeof ours) == 0;
  }
  return false;
}

bool same_host(int fd) {
  sockaddr_storage local{}, peer{};
  socklen_t local_length = sizeof local, peer_length = sizeof peer;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) != 0) return false;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) return false;
  return same_host(local, peer);
}

}  // namespace ferry::comm
