// same_host decides whether file chunks may skip sendfile: the two ends on one machine, whatever the
// family, and no other.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "comm/same_host.hpp"

using ferry::comm::same_host;

namespace {

sockaddr_storage v4(const std::string& text) {
  sockaddr_storage storage{};
  auto& address = reinterpret_cast<sockaddr_in&>(storage);
  address.sin_family = AF_INET;
  REQUIRE(::inet_pton(AF_INET, text.c_str(), &address.sin_addr) == 1);
  return storage;
}

sockaddr_storage v6(const std::string& text) {
  sockaddr_storage storage{};
  auto& address = reinterpret_cast<sockaddr_in6&>(storage);
  address.sin6_family = AF_INET6;
  REQUIRE(::inet_pton(AF_INET6, text.c_str(), &address.sin6_addr) == 1);
  return storage;
}

sockaddr_storage local_socket() {
  sockaddr_storage storage{};
  storage.ss_family = AF_UNIX;
  return storage;
}

}  // namespace

TEST_CASE("Loopback peers, a peer at the socket's own address and UNIX sockets are on this host", "[comm]") {
  CHECK(same_host(v4("127.0.0.1"), v4("127.0.0.1")));
  CHECK(same_host(v4("127.0.0.1"), v4("127.4.5.6")));
  CHECK(same_host(v4("10.1.2.3"), v4("10.1.2.3")));
  CHECK(same_host(v6("::1"), v6("::1")));
  CHECK(same_host(v6("::ffff:127.0.0.1"), v6("::ffff:127.0.0.1")));
  CHECK(same_host(v6("fd00::5"), v6("fd00::5")));
  CHECK(same_host(v6("::ffff:10.1.2.3"), v6("::ffff:10.1.2.3")));
  CHECK(same_host(local_socket(), local_socket()));
}

TEST_CASE("Peers at other addresses are on other hosts", "[comm]") {
  CHECK_FALSE(same_host(v4("10.1.2.3"), v4("10.1.2.4")));
  CHECK_FALSE(same_host(v4("192.168.0.1"), v4("126.255.255.255")));
  CHECK_FALSE(same_host(v6("fd00::5"), v6("fd00::6")));
  CHECK_FALSE(same_host(v6("::ffff:10.1.2.3"), v6("::ffff:10.1.2.4")));
  CHECK_FALSE(same_host(v4("10.1.2.3"), v6("::ffff:10.1.2.3")));
}

TEST_CASE("A connected socket's own addresses are read", "[comm]") {
  int pair[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0);
  CHECK(same_host(pair[0]));
  ::close(pair[0]);
  ::close(pair[1]);

  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(listener, 1) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  const int client = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  CHECK(same_host(client));
  ::close(client);
  ::close(listener);

  CHECK_FALSE(same_host(-1));
}
