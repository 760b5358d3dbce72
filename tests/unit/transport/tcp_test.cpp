// The tcp plugin through the host's TransportInstance: listening, connecting and accepting on loopback,
// descriptor flags, and the errors users see for bad addresses and refused connections.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include "support.hpp"

using namespace ferry::transport_test;
using ferry::plugin::WouldBlock;

namespace {

std::string port_of(const std::string& address) { return address.substr(address.rfind(':') + 1); }

bool ipv6_loopback_available() {
  UniqueFd fd(::socket(AF_INET6, SOCK_STREAM, 0));
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  return fd.valid() && ::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

}  // namespace

TEST_CASE("tcp connects on 127.0.0.1 and moves bytes both ways", "[transport][tcp]") {
  auto tcp = make_transport("tcp");
  CHECK(tcp->name() == "tcp");
  CHECK(tcp->supports_sendfile());
  UniqueFd listener = take(tcp->listen("127.0.0.1:0"));
  const std::string address = take(tcp->local_address(listener.get()));
  CHECK_THAT(address, Catch::StartsWith("127.0.0.1:"));
  CHECK(port_of(address) != "0");

  Pair pair = connect_pair(*tcp, listener.get());
  CHECK_THAT(pair.peer, Catch::StartsWith("127.0.0.1:"));
  CHECK(take(tcp->local_address(pair.client.get())) == pair.peer);

  write_all(pair.client.get(), "hello from the client");
  CHECK(read_exactly(pair.server.get(), 21) == "hello from the client");
  write_all(pair.server.get(), "and back");
  CHECK(read_exactly(pair.client.get(), 8) == "and back");
}

TEST_CASE("tcp descriptors are non-blocking, close-on-exec, no-delay and keep-alive", "[transport][tcp]") {
  auto tcp = make_transport("tcp");
  UniqueFd listener = take(tcp->listen("127.0.0.1:0"));
  Pair pair = connect_pair(*tcp, listener.get());
  for (int fd : {listener.get(), pair.client.get(), pair.server.get()}) {
    CHECK(is_nonblocking(fd));
    CHECK(is_cloexec(fd));
  }
  CHECK(socket_option(listener.get(), SOL_SOCKET, SO_REUSEADDR) != 0);
  for (int fd : {pair.client.get(), pair.server.get()}) {
    CHECK(socket_option(fd, IPPROTO_TCP, TCP_NODELAY) != 0);
    CHECK(socket_option(fd, SOL_SOCKET, SO_KEEPALIVE) != 0);
    CHECK(socket_option(fd, IPPROTO_TCP, TCP_KEEPIDLE) == 30);
    CHECK(socket_option(fd, IPPROTO_TCP, TCP_KEEPINTVL) == 10);
    CHECK(socket_option(fd, IPPROTO_TCP, TCP_KEEPCNT) == 3);
  }
}

TEST_CASE("tcp accept with nothing pending would block", "[transport][tcp]") {
  auto tcp = make_transport("tcp");
  UniqueFd listener = take(tcp->listen("127.0.0.1:0"));
  CHECK(std::holds_alternative<WouldBlock>(tcp->accept(listener.get())));
  Pair pair = connect_pair(*tcp, listener.get());
  CHECK(std::holds_alternative<WouldBlock>(tcp->accept(listener.get())));
}

TEST_CASE("tcp listens on IPv6 loopback and on a host name", "[transport][tcp]") {
  auto tcp = make_transport("tcp");
  if (ipv6_loopback_available()) {
    UniqueFd listener = take(tcp->listen("[::1]:0"));
    const std::string address = take(tcp->local_address(listener.get()));
    CHECK_THAT(address, Catch::StartsWith("[::1]:"));
    Pair pair = connect_pair(*tcp, listener.get());
    CHECK_THAT(pair.peer, Catch::StartsWith("[::1]:"));
  }
  UniqueFd named = take(tcp->listen("localhost:0"));
  const std::string address = take(tcp->local_address(named.get()));
  CHECK((address.starts_with("127.0.0.1:") || address.starts_with("[::1]:")));
}

TEST_CASE("tcp refuses malformed addresses, naming them", "[transport][tcp]") {
  auto tcp = make_transport("tcp");
  const std::pair<std::string, const char*> cases[] = {
      {"", "invalid tcp address \"\": it is empty"},
      {"nohost", "invalid tcp address \"nohost\": no port"},
      {"1.2.3.4:99999", "invalid tcp address \"1.2.3.4:99999\": port 99999 is not in 0..65535"},
      {"1.2.3.4:http", "port \"http\" is not a number"},
      {"1.2.3.4:", "no port after ':'"},
      {"[::1", "invalid tcp address \"[::1\": no ']' after the IPv6 address"},
      {"[::1]7400", "expected ':' and a port after ']'"},
      {"::1:7400", "an IPv6 address needs brackets"},
      {std::string("a\0b:1", 5), "invalid tcp address \"a\\x00b:1\": it contains a NUL byte"},
  };
  for (const auto& [address, message] : cases) {
    INFO("address: " << address);
    const PluginError listen_error = error_of(tcp->listen(address));
    CHECK(listen_error.code == FERRY_ERR_INVALID_ARGUMENT);
    CHECK_THAT(listen_error.message, Catch::Contains(message));
    const PluginError connect_error = error_of(tcp->connect(address));
    CHECK(connect_error.code == FERRY_ERR_INVALID_ARGUMENT);
    CHECK_THAT(connect_error.message, Catch::Contains(message));
  }
  CHECK_THAT(error_of(tcp->connect("127.0.0.1:0")).message, Catch::Contains("port 0 can only be listened on"));
  CHECK_THAT(error_of(tcp->connect(":7400")).message, Catch::Contains("no host"));
}

TEST_CASE("tcp connecting to a closed port fails, naming the address", "[transport][tcp]") {
  auto tcp = make_transport("tcp");
  std::string address;
  {
    UniqueFd listener = take(tcp->listen("127.0.0.1:0"));
    address = take(tcp->local_address(listener.get()));
  }  // closed: nothing listens on the port any more
  auto started = tcp->connect(address);
  PluginError error;
  if (auto* connecting = std::get_if<ferry::plugin::Connecting>(&started)) {
    REQUIRE(connecting->in_progress);
    REQUIRE(wait_for(connecting->fd.get(), POLLOUT));
    error = error_of(tcp->connect_finish(connecting->fd.get()));
  } else {
    error = error_of(std::move(started));
  }
  CHECK(error.message == "cannot connect to " + address + ": Connection refused");
  CHECK(error.code == FERRY_ERR_IO);
}

TEST_CASE("tcp listening on a port in use fails, naming the address", "[transport][tcp]") {
  auto tcp = make_transport("tcp");
  UniqueFd listener = take(tcp->listen("127.0.0.1:0"));
  const std::string address = take(tcp->local_address(listener.get()));
  const PluginError error = error_of(tcp->listen(address));
  CHECK(error.message == "cannot listen on " + address + ": Address already in use");
  CHECK(error.code == FERRY_ERR_IO);
}

TEST_CASE("tcp reports bad descriptors as errors", "[transport][tcp]") {
  auto tcp = make_transport("tcp");
  CHECK_THAT(error_of(tcp->accept(-1)).message, Catch::Contains("cannot accept on descriptor -1"));
  CHECK_THAT(error_of(tcp->connect_finish(-1)).message, Catch::Contains("Bad file descriptor"));
  CHECK_THAT(error_of(tcp->local_address(-1)).message, Catch::Contains("descriptor -1"));
}
