// Both transports set FERRY_TRANSPORT_FLAG_SENDFILE: sendfile(2) from a regular file to a connected
// descriptor must deliver the file's bytes unchanged.
#include <fcntl.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <fstream>
#include <random>

#include "support.hpp"

using namespace ferry::transport_test;

namespace {

std::string random_bytes(size_t size) {
  std::mt19937 generator(20240611);
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(generator());
  return bytes;
}

// Sends the whole file with sendfile while reading the other end, on one thread, with non-blocking
// descriptors: the way the host's I/O thread will. Returns what arrived.
std::string send_file(int file, size_t size, const Pair& pair) {
  std::string received;
  off_t offset = 0;
  char buffer[64 * 1024];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (received.size() < size) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    if (static_cast<size_t>(offset) < size) {
      const ssize_t sent = ::sendfile(pair.client.get(), file, &offset, size - static_cast<size_t>(offset));
      if (sent < 0) REQUIRE((errno == EAGAIN || errno == EINTR));
    }
    pollfd fds[2] = {{pair.server.get(), POLLIN, 0},
                     {pair.client.get(), static_cast<short>(static_cast<size_t>(offset) < size ? POLLOUT : 0), 0}};
    REQUIRE(::poll(fds, 2, static_cast<int>(patience.count())) > 0);
    for (int reads = 0; reads < 64; ++reads) {  // drain what is there, boundedly
      const ssize_t n = ::read(pair.server.get(), buffer, sizeof buffer);
      if (n <= 0) {
        REQUIRE((n < 0 && (errno == EAGAIN || errno == EINTR)));
        break;
      }
      received.append(buffer, static_cast<size_t>(n));
    }
  }
  return received;
}

void check_sendfile(const std::string& plugin, const std::string& listen_address) {
  TempDirectory directory;
  const std::string content = random_bytes((3 << 20) + 4321);  // several socket buffers, not a round size
  const auto path = directory.path / "source.bin";
  std::ofstream(path, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
  UniqueFd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  REQUIRE(file.valid());

  auto transport = make_transport(plugin);
  REQUIRE(transport->supports_sendfile());
  const std::string address = listen_address.empty() ? (directory.path / "s.sock").string() : listen_address;
  UniqueFd listener = take(transport->listen(address));
  const Pair pair = connect_pair(*transport, listener.get());
  const std::string received = send_file(file.get(), content.size(), pair);
  CHECK(received.size() == content.size());
  CHECK((received == content));  // compared outside Catch's decomposition: it would print 3 MiB twice
}

}  // namespace

TEST_CASE("sendfile over tcp delivers the file unchanged", "[transport][tcp][sendfile]") {
  check_sendfile("tcp", "127.0.0.1:0");
}

TEST_CASE("sendfile over uds delivers the file unchanged", "[transport][uds][sendfile]") { check_sendfile("uds", ""); }
