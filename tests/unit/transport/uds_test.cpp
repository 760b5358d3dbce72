// The uds plugin through the host's TransportInstance: socket files and abstract names, stale and live
// socket files, descriptor flags, and the errors users see.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>

#include "support.hpp"

using namespace ferry::transport_test;
using ferry::plugin::WouldBlock;

namespace {

// Leaves a socket file nobody listens on, as a crashed node would.
void make_stale_socket(const std::string& path) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  REQUIRE(path.size() < sizeof address.sun_path);
  path.copy(address.sun_path, path.size());
  REQUIRE(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
}

}  // namespace

TEST_CASE("uds connects through a socket file and moves bytes both ways", "[transport][uds]") {
  TempDirectory directory;
  const std::string path = (directory.path / "node.sock").string();
  auto uds = make_transport("uds");
  CHECK(uds->name() == "uds");
  CHECK(uds->supports_sendfile());
  UniqueFd listener = take(uds->listen(path));
  CHECK(take(uds->local_address(listener.get())) == path);

  Pair pair = connect_pair(*uds, listener.get());
  CHECK(pair.peer == "pid " + std::to_string(::getpid()) + ", uid " + std::to_string(::getuid()));
  CHECK(take(uds->local_address(pair.client.get())) == "(unnamed)");
  for (int fd : {listener.get(), pair.client.get(), pair.server.get()}) {
    CHECK(is_nonblocking(fd));
    CHECK(is_cloexec(fd));
  }

  write_all(pair.client.get(), "ping");
  CHECK(read_exactly(pair.server.get(), 4) == "ping");
  write_all(pair.server.get(), "pong!");
  CHECK(read_exactly(pair.client.get(), 5) == "pong!");
}

TEST_CASE("uds connects through an abstract name", "[transport][uds]") {
  const std::string name = "@ferry-transport-test-" + std::to_string(::getpid());
  auto uds = make_transport("uds");
  UniqueFd listener = take(uds->listen(name));
  CHECK(take(uds->local_address(listener.get())) == name);
  Pair pair = connect_pair(*uds, listener.get());
  write_all(pair.client.get(), "abstract");
  CHECK(read_exactly(pair.server.get(), 8) == "abstract");
  CHECK_THAT(error_of(uds->listen(name)).message, Catch::Contains("Address already in use"));
}

TEST_CASE("uds accept with nothing pending would block", "[transport][uds]") {
  TempDirectory directory;
  auto uds = make_transport("uds");
  UniqueFd listener = take(uds->listen((directory.path / "s").string()));
  CHECK(std::holds_alternative<WouldBlock>(uds->accept(listener.get())));
}

TEST_CASE("uds replaces a stale socket file but never a live one or another file", "[transport][uds]") {
  TempDirectory directory;
  auto uds = make_transport("uds");
  const std::string path = (directory.path / "node.sock").string();

  make_stale_socket(path);
  UniqueFd listener = take(uds->listen(path));
  Pair first = connect_pair(*uds, listener.get());

  const PluginError live = error_of(uds->listen(path));
  CHECK(live.message == "cannot listen on " + path + ": Address already in use (another process is listening on it)");
  // The probe that found the listener alive connected and hung up at once: its connection comes first.
  auto probe = take(uds->accept(listener.get()));
  char byte = 0;
  CHECK(::read(probe.fd.get(), &byte, 1) == 0);
  Pair second = connect_pair(*uds, listener.get());  // the live listener still owns its file
  write_all(second.client.get(), "x");
  CHECK(read_exactly(second.server.get(), 1) == "x");

  const std::string regular = (directory.path / "notes.txt").string();
  std::ofstream(regular) << "keep me";
  const PluginError not_socket = error_of(uds->listen(regular));
  CHECK(not_socket.message ==
        "cannot listen on " + regular + ": Address already in use (the path exists and is not a socket)");
  std::ifstream kept(regular);
  std::string text;
  std::getline(kept, text);
  CHECK(text == "keep me");
}

TEST_CASE("uds refuses malformed and oversized addresses", "[transport][uds]") {
  auto uds = make_transport("uds");
  const std::string long_path = "/tmp/" + std::string(200, 'p') + ".sock";
  const std::pair<std::string, const char*> cases[] = {
      {"", "invalid uds address: it is empty"},
      {"@", "an abstract socket needs a name after '@'"},
      {std::string("/tmp/a\0b", 8), "invalid uds address: it contains a NUL byte: \"/tmp/a\\x00b\""},
      {long_path, "invalid uds address: the path is 210 bytes, longer than the 107 a Unix socket address can hold"},
      {"@" + std::string(120, 'n'), "the name is 120 bytes, longer than the 107"},
  };
  for (const auto& [address, message] : cases) {
    INFO("address: " << address);
    const PluginError listen_error = error_of(uds->listen(address));
    CHECK(listen_error.code == FERRY_ERR_INVALID_ARGUMENT);
    CHECK_THAT(listen_error.message, Catch::Contains(message));
    CHECK_THAT(error_of(uds->connect(address)).message, Catch::Contains(message));
  }
}

TEST_CASE("uds connecting where nobody listens fails, naming the path", "[transport][uds]") {
  TempDirectory directory;
  auto uds = make_transport("uds");
  const std::string missing = (directory.path / "missing.sock").string();
  const PluginError absent = error_of(uds->connect(missing));
  CHECK(absent.message == "cannot connect to " + missing + ": No such file or directory");
  CHECK(absent.code == FERRY_ERR_NOT_FOUND);

  const std::string stale = (directory.path / "stale.sock").string();
  make_stale_socket(stale);
  CHECK(error_of(uds->connect(stale)).message == "cannot connect to " + stale + ": Connection refused");
}

TEST_CASE("uds send_buffer reaches the sockets", "[transport][uds][config]") {
  TempDirectory directory;
  ferry::config::PluginValues values;
  values.values.insert_or_assign("send_buffer", int64_t{65536});
  auto uds = make_transport("uds", values);
  UniqueFd listener = take(uds->listen((directory.path / "s").string()));
  Pair pair = connect_pair(*uds, listener.get());
  CHECK(socket_option(pair.client.get(), SOL_SOCKET, SO_SNDBUF) >= 65536);
  CHECK(socket_option(pair.server.get(), SOL_SOCKET, SO_SNDBUF) >= 65536);
}
