// The tcp plugin's configuration keys, handed over as validated values, become socket options.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include "plugin/catalog.hpp"
#include "support.hpp"

using namespace ferry::transport_test;

namespace {

ferry::config::PluginValues values_of(
    std::initializer_list<std::pair<const std::string, ferry::config::PluginValue>> list) {
  ferry::config::PluginValues values;
  for (const auto& [key, value] : list) values.values.insert_or_assign(key, value);
  return values;
}

}  // namespace

TEST_CASE("tcp keys set buffers, no-delay and keep-alive on both ends", "[transport][tcp][config]") {
  auto tcp = make_transport("tcp", values_of({{"send_buffer", int64_t{65536}},
                                              {"receive_buffer", int64_t{65536}},
                                              {"nodelay", false},
                                              {"keepalive_idle", int64_t{10500}},
                                              {"backlog", int64_t{16}}}));
  UniqueFd listener = take(tcp->listen("127.0.0.1:0"));
  Pair pair = connect_pair(*tcp, listener.get());
  for (int fd : {pair.client.get(), pair.server.get()}) {
    CHECK(socket_option(fd, SOL_SOCKET, SO_SNDBUF) >= 65536);
    CHECK(socket_option(fd, SOL_SOCKET, SO_RCVBUF) >= 65536);
    CHECK(socket_option(fd, IPPROTO_TCP, TCP_NODELAY) == 0);
    CHECK(socket_option(fd, SOL_SOCKET, SO_KEEPALIVE) != 0);
    CHECK(socket_option(fd, IPPROTO_TCP, TCP_KEEPIDLE) == 11);  // 10.5s, rounded up to whole seconds
    CHECK(socket_option(fd, IPPROTO_TCP, TCP_KEEPINTVL) == 3);
  }
}

TEST_CASE("tcp keepalive_idle = 0s turns keep-alive off", "[transport][tcp][config]") {
  auto tcp = make_transport("tcp", values_of({{"keepalive_idle", int64_t{0}}}));
  UniqueFd listener = take(tcp->listen("127.0.0.1:0"));
  Pair pair = connect_pair(*tcp, listener.get());
  CHECK(socket_option(pair.client.get(), SOL_SOCKET, SO_KEEPALIVE) == 0);
  CHECK(socket_option(pair.server.get(), SOL_SOCKET, SO_KEEPALIVE) == 0);
}

TEST_CASE("tcp refuses values outside its declared ranges when created", "[transport][tcp][config]") {
  // The host validates keys first; this is the plugin's own guard against a host that did not.
  const auto catalog = ferry::plugin::Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, ferry::plugin::FilePolicy{false, 0});
  auto created =
      TransportInstance::create(catalog.find("transport", "tcp"), values_of({{"backlog", int64_t{0}}}), nullptr);
  const PluginError error = error_of(std::move(created));
  CHECK(error.code == FERRY_ERR_CONFIG);
  CHECK(error.message == "tcp: backlog = 0 is not in 1..65535");
}

TEST_CASE("tcp backlog bounds the queue, and connect_finish waits while a connection is in progress",
          "[transport][tcp][config]") {
  auto tcp = make_transport("tcp", values_of({{"backlog", int64_t{1}}}));
  UniqueFd listener = take(tcp->listen("127.0.0.1:0"));
  const std::string address = take(tcp->local_address(listener.get()));
  // Linux queues backlog + 1 connections and drops further SYNs, so a later connect stays in progress
  // until a queued connection is accepted and the client retransmits its SYN (after about a second).
  std::vector<UniqueFd> queued;
  UniqueFd waiting;
  for (int attempt = 0; attempt < 8 && !waiting.valid(); ++attempt) {
    auto connecting = take(tcp->connect(address));
    if (connecting.in_progress &&
        std::holds_alternative<ferry::plugin::WouldBlock>(tcp->connect_finish(connecting.fd.get())))
      waiting = std::move(connecting.fd);
    else
      queued.push_back(std::move(connecting.fd));
  }
  REQUIRE(waiting.valid());
  CHECK(queued.size() == 2);
  for (size_t i = 0; i < queued.size(); ++i) take(tcp->accept(listener.get()));
  REQUIRE(wait_for(waiting.get(), POLLOUT));
  CHECK(std::holds_alternative<ferry::plugin::Connected>(tcp->connect_finish(waiting.get())));
}
