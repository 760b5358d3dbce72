// Helpers shared by the transport tests: creating a transport from the shipped plugins, connecting a pair
// of descriptors the way the host will (non-blocking, polling), and moving bytes with bounded waits.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "plugin/transport_instance.hpp"

namespace ferry::transport_test {

using plugin::PluginError;
using plugin::TransportInstance;
using util::UniqueFd;

// Every wait in these tests ends after this long, so a broken transport fails instead of hanging.
inline constexpr std::chrono::milliseconds patience{5000};

std::shared_ptr<TransportInstance> make_transport(const std::string& plugin, const config::PluginValues& values = {});

// The value of a result, or a test failure showing the plugin's error.
template <typename T, typename... Others>
T take(std::variant<T, Others...>&& result) {
  if (auto* error = std::get_if<PluginError>(&result)) FAIL("plugin error " << error->code << ": " << error->message);
  REQUIRE(std::holds_alternative<T>(result));
  return std::get<T>(std::move(result));
}

// The error of a result that must have failed.
template <typename... Alternatives>
PluginError error_of(std::variant<Alternatives...>&& result) {
  REQUIRE(std::holds_alternative<PluginError>(result));
  return std::get<PluginError>(std::move(result));
}

// Waits for events on fd; false when the wait ran out.
bool wait_for(int fd, short events, std::chrono::milliseconds timeout = patience);

struct Pair {
  UniqueFd client;
  UniqueFd server;
  std::string peer;  // the server's view of the client
};

// Connects to a listener of the same transport: connect, wait for writability, connect_finish, accept.
UniqueFd connect_to(TransportInstance& transport, const std::string& address);
Pair connect_pair(TransportInstance& transport, int listen_fd);

// Writes all of data to a non-blocking descriptor, and reads exactly size bytes from one.
void write_all(int fd, const std::string& data);
std::string read_exactly(int fd, size_t size);

bool is_nonblocking(int fd);
bool is_cloexec(int fd);
int socket_option(int fd, int level, int name);

// A fresh directory under /tmp (short, so that socket paths fit), removed with its contents.
struct TempDirectory {
  TempDirectory();
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  std::filesystem::path path;
};

}  // namespace ferry::transport_test
