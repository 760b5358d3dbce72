// Raw TCP ping-pong over 127.0.0.1: the floor under any request/reply round trip between two processes on
// this machine, which ferry's ping (window 1) between two nodes is held to. Blocking sockets with
// TCP_NODELAY, an echo process and a timing process, S bytes each way per round trip. Prints one JSON line.
//
// Two processes, not two threads of one, because ferry's two ends are two processes: a switch between
// threads of one process keeps the address space, and on a virtual machine that makes the thread version
// a floor no pair of nodes can reach (docs/performance.md has both figures).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <vector>

#include "anchor_options.hpp"

namespace {

// Untimed round trips first, so the figures leave out connection set-up and cold caches.
constexpr long warmup_round_trips = 1000;

void check(bool ok, const char* what) {
  if (!ok) {
    std::perror(what);
    std::exit(1);
  }
}

void write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t written = ::send(fd, data, size, MSG_NOSIGNAL);
    if (written < 0 && errno == EINTR) continue;
    check(written > 0, "send");
    data += written;
    size -= static_cast<size_t>(written);
  }
}

// False when the peer closed before the first byte; a close in the middle of a message is an error.
bool read_exact(int fd, char* data, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t got = ::recv(fd, data + done, size - done, 0);
    if (got < 0 && errno == EINTR) continue;
    check(got >= 0, "recv");
    if (got == 0) {
      check(done == 0, "recv: connection closed in the middle of a message");
      return false;
    }
    done += static_cast<size_t>(got);
  }
  return true;
}

void set_nodelay(int fd) {
  int on = 1;
  check(::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0, "setsockopt TCP_NODELAY");
}

void echo_one_connection(int listener, size_t size) {
  int fd = ::accept(listener, nullptr, nullptr);
  check(fd >= 0, "accept");
  set_nodelay(fd);
  std::vector<char> buffer(size);
  while (read_exact(fd, buffer.data(), size)) write_all(fd, buffer.data(), size);
  ::close(fd);
}

// Nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, double p) {
  auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::max<size_t>(rank, 1) - 1];
}

}  // namespace

int main(int argc, char** argv) {
  const anchor::Options options = anchor::parse_options(argc, argv, {.count = 20000, .size = 64});
  const auto size = static_cast<size_t>(options.size);

  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(options.port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  check(listener >= 0, "socket");
  check(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0, "bind");
  check(::listen(listener, 1) == 0, "listen");
  socklen_t length = sizeof address;
  check(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0, "getsockname");
  const pid_t echo = ::fork();
  check(echo >= 0, "fork");
  if (echo == 0) {
    echo_one_connection(listener, size);
    std::_Exit(0);
  }

  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  check(fd >= 0, "socket");
  check(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0, "connect");
  set_nodelay(fd);

  std::vector<char> buffer(size, 'p');
  auto round_trip = [&] {
    write_all(fd, buffer.data(), size);
    check(read_exact(fd, buffer.data(), size), "recv: the echo process closed early");
  };
  for (long i = 0; i < warmup_round_trips; ++i) round_trip();

  std::vector<double> rtt_us;
  rtt_us.reserve(static_cast<size_t>(options.count));
  for (long i = 0; i < options.count; ++i) {
    auto start = std::chrono::steady_clock::now();
    round_trip();
    rtt_us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }

  check(::shutdown(fd, SHUT_WR) == 0, "shutdown");  // the echo process reads EOF and ends
  int status = 0;
  check(::waitpid(echo, &status, 0) == echo && WIFEXITED(status) && WEXITSTATUS(status) == 0, "the echo process");
  ::close(fd);
  ::close(listener);

  std::sort(rtt_us.begin(), rtt_us.end());
  double mean = std::accumulate(rtt_us.begin(), rtt_us.end(), 0.0) / static_cast<double>(rtt_us.size());
  std::printf(
      "{\"anchor\":\"tcp_pingpong\",\"size\":%ld,\"count\":%ld,\"rtt_p50_us\":%.2f,\"rtt_p99_us\":%.2f,"
      "\"rtt_mean_us\":%.2f}\n",
      options.size, options.count, percentile(rtt_us, 0.50), percentile(rtt_us, 0.99), mean);
}
