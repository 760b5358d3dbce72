// From a configuration file to a working transport: resolve_transport finds the plugin named by
// transport.plugin, validates the [transport] table's plugin keys, and the values reach the sockets.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "node/sink_setup.hpp"
#include "support.hpp"

using namespace ferry::transport_test;
using ferry::config::ConfigError;

namespace {

const ferry::plugin::Catalog& shipped_plugins() {
  static const auto catalog =
      ferry::plugin::Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, ferry::plugin::FilePolicy{false, 0});
  return catalog;
}

ferry::config::Config load(std::string_view text, const std::vector<std::string>& overrides = {}) {
  auto result = ferry::config::load_string(text, "test.toml", overrides);
  std::string errors;
  for (const auto& error : result.errors) errors += error.to_string() + "\n";
  INFO(errors);
  REQUIRE(result.config);
  return std::move(*result.config);
}

std::vector<std::string> resolve_errors(const ferry::config::Config& config) {
  std::vector<ConfigError> errors;
  CHECK_FALSE(ferry::node::resolve_transport(config, shipped_plugins(), errors));
  std::vector<std::string> lines;
  for (const auto& error : errors) lines.push_back(error.to_string());
  return lines;
}

}  // namespace

TEST_CASE("keys of the [transport] table reach the tcp plugin's sockets", "[transport][config]") {
  const auto config = load(R"([transport]
plugin = "tcp"
listen = "127.0.0.1:0"
send_buffer = "64KiB"
nodelay = false
)");
  std::vector<ConfigError> errors;
  auto resolved = ferry::node::resolve_transport(config, shipped_plugins(), errors);
  REQUIRE(errors.empty());
  REQUIRE(resolved);
  CHECK(std::get<int64_t>(resolved->values.values.at("send_buffer")) == 65536);

  auto tcp = take(TransportInstance::create(resolved->library, resolved->values, nullptr));
  UniqueFd listener = take(tcp->listen(config.transport.listen));
  Pair pair = connect_pair(*tcp, listener.get());
  CHECK(socket_option(pair.client.get(), SOL_SOCKET, SO_SNDBUF) >= 65536);
  CHECK(socket_option(pair.server.get(), IPPROTO_TCP, TCP_NODELAY) == 0);
}

TEST_CASE("an unknown transport plugin is reported at transport.plugin", "[transport][config]") {
  CHECK(resolve_errors(load("[transport]\nplugin = \"quic\"\n")) ==
        std::vector<std::string>{"test.toml:2:10: transport.plugin: no transport plugin named 'quic' is loaded "
                                 "(loaded transport plugins: tcp, uds; see `ferry plugins`)"});
  CHECK(resolve_errors(load("", {"transport.plugin=quic"})) ==
        std::vector<std::string>{"--set transport.plugin: no transport plugin named 'quic' is loaded "
                                 "(loaded transport plugins: tcp, uds; see `ferry plugins`)"});
}

TEST_CASE("transport plugin keys are validated with file, line, column and key", "[transport][config]") {
  const auto errors = resolve_errors(load(R"([transport]
listn = "127.0.0.1:7400"
send_bufer = 4096
backlog = 0
keepalive_idle = 30
)",
                                          {"transport.receive_buffer=2GiB"}));
  REQUIRE(errors.size() == 5);
  CHECK(errors[0] ==
        "test.toml:2:1: transport.listn: unknown key for transport plugin \"tcp\"; did you mean \"listen\"?");
  CHECK(errors[1] ==
        "test.toml:3:1: transport.send_bufer: unknown key for transport plugin \"tcp\"; did you mean \"send_buffer\"?");
  CHECK(errors[2] == "test.toml:4:1: transport.backlog: expected an integer in 1..65535, got 0");
  CHECK_THAT(errors[3], Catch::StartsWith("test.toml:5:1: transport.keepalive_idle: expected a duration"));
  CHECK_THAT(errors[4], Catch::StartsWith("--set transport.receive_buffer: expected a size in"));
}

TEST_CASE("the uds plugin takes only its own keys", "[transport][config]") {
  CHECK(resolve_errors(load("[transport]\nplugin = \"uds\"\nlisten = \"/run/ferry.sock\"\nnodelay = true\n")) ==
        std::vector<std::string>{"test.toml:4:1: transport.nodelay: unknown key for transport plugin \"uds\"; its "
                                 "keys: send_buffer, backlog"});
}
