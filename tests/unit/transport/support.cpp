#include "support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "plugin/catalog.hpp"

namespace ferry::transport_test {

std::shared_ptr<TransportInstance> make_transport(const std::string& plugin, const config::PluginValues& values) {
  // One catalog for the whole run: the libraries stay loaded, as in a node.
  static const auto catalog = plugin::Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, plugin::FilePolicy{false, 0});
  auto library = catalog.find("transport", plugin);
  REQUIRE(library != nullptr);
  return take(TransportInstance::create(library, values, nullptr));
}

bool wait_for(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd entry{fd, events, 0};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    const int ready = ::poll(&entry, 1, static_cast<int>(left.count()));
    if (ready > 0) return true;
    if (ready == 0 || errno != EINTR) return false;
  }
}

UniqueFd connect_to(TransportInstance& transport, const std::string& address) {
  auto connecting = take(transport.connect(address));
  if (!connecting.in_progress) return std::move(connecting.fd);
  for (int attempt = 0; attempt < 10; ++attempt) {
    REQUIRE(wait_for(connecting.fd.get(), POLLOUT));
    auto finished = transport.connect_finish(connecting.fd.get());
    if (std::holds_alternative<plugin::Connected>(finished)) return std::move(connecting.fd);
    if (auto* error = std::get_if<PluginError>(&finished)) FAIL("connect_finish: " << error->message);
  }
  FAIL("connect_finish kept saying the connection is in progress");
  return {};
}

Pair connect_pair(TransportInstance& transport, int listen_fd) {
  Pair pair;
  pair.client = connect_to(transport, take(transport.local_address(listen_fd)));
  REQUIRE(wait_for(listen_fd, POLLIN));
  auto accepted = take(transport.accept(listen_fd));
  pair.server = std::move(accepted.fd);
  pair.peer = std::move(accepted.peer);
  return pair;
}

void write_all(int fd, const std::string& data) {
  size_t written = 0;
  while (written < data.size()) {
    REQUIRE(wait_for(fd, POLLOUT));
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    REQUIRE(n > 0);
    written += static_cast<size_t>(n);
  }
}

std::string read_exactly(int fd, size_t size) {
  std::string data(size, '\0');
  size_t received = 0;
  while (received < size) {
    REQUIRE(wait_for(fd, POLLIN));
    const ssize_t n = ::read(fd, data.data() + received, size - received);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    REQUIRE(n > 0);
    received += static_cast<size_t>(n);
  }
  return data;
}

bool is_nonblocking(int fd) { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }
bool is_cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

int socket_option(int fd, int level, int name) {
  int value = -1;
  socklen_t length = sizeof value;
  REQUIRE(::getsockopt(fd, level, name, &value, &length) == 0);
  return value;
}

TempDirectory::TempDirectory() {
  std::string pattern = "/tmp/ferry-transport-XXXXXX";
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path = pattern;
}

TempDirectory::~TempDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

}  // namespace ferry::transport_test
