// same_host decides whether file chunks may skip sendfile: the two ends on one machine, whatever the
// family, and no other.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "comm/same_host.hpp"
#include "silent_listener.hpp"

using ferry::comm::same_host;
using ferry::comm_test::SilentListener;

namespace {

// An IPv4 or IPv6 address (it has a colon), as getsockname would give it.
sockaddr_storage ip(const std::string& text) {
  sockaddr_storage storage{};
  const bool v6 = text.find(':') != std::string::npos;
  storage.ss_family = v6 ? AF_INET6 : AF_INET;
  void* address = v6 ? static_cast<void*>(&reinterpret_cast<sockaddr_in6&>(storage).sin6_addr)
                     : static_cast<void*>(&reinterpret_cast<sockaddr_in&>(storage).sin_addr);
  REQUIRE(::inet_pton(storage.ss_family, text.c_str(), address) == 1);
  return storage;
}

sockaddr_storage local_socket() {
  sockaddr_storage storage{};
  storage.ss_family = AF_UNIX;
  return storage;
}

}  // namespace

TEST_CASE("Loopback peers, a peer at the socket's own address and UNIX sockets are on this host", "[comm]") {
  CHECK(same_host(ip("127.0.0.1"), ip("127.0.0.1")));
  CHECK(same_host(ip("127.0.0.1"), ip("127.4.5.6")));
  CHECK(same_host(ip("10.1.2.3"), ip("10.1.2.3")));
  CHECK(same_host(ip("::1"), ip("::1")));
  CHECK(same_host(ip("::ffff:127.0.0.1"), ip("::ffff:127.0.0.1")));
  CHECK(same_host(ip("fd00::5"), ip("fd00::5")));
  CHECK(same_host(ip("::ffff:10.1.2.3"), ip("::ffff:10.1.2.3")));
  CHECK(same_host(local_socket(), local_socket()));
}

TEST_CASE("Peers at other addresses are on other hosts", "[comm]") {
  CHECK_FALSE(same_host(ip("10.1.2.3"), ip("10.1.2.4")));
  CHECK_FALSE(same_host(ip("192.168.0.1"), ip("126.255.255.255")));
  CHECK_FALSE(same_host(ip("fd00::5"), ip("fd00::6")));
  CHECK_FALSE(same_host(ip("::ffff:10.1.2.3"), ip("::ffff:10.1.2.4")));
  CHECK_FALSE(same_host(ip("10.1.2.3"), ip("::ffff:10.1.2.3")));
}

TEST_CASE("A connected socket's own addresses are read", "[comm]") {
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  CHECK(same_host(pair[0]));
  ::close(pair[0]);
  ::close(pair[1]);

  const SilentListener listener;
  const int client = ::socket(AF_INET, SOCK_STREAM, 0);
  const sockaddr_in& address = listener.socket_address();
  REQUIRE(::connect(client, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  CHECK(same_host(client));
  ::close(client);

  CHECK_FALSE(same_host(-1));
}
