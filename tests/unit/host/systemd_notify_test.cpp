// The notify writer against a datagram socket of the test's own, bound where $NOTIFY_SOCKET would point.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>

#include "runtime/systemd_notify.hpp"

namespace {

// A bound AF_UNIX datagram socket standing in for systemd's notification socket.
class Listener {
 public:
  // name: a path, or "@name" for an abstract socket.
  explicit Listener(const std::string& name) : fd_(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.data(), name.size());
    if (name[0] == '@') address.sun_path[0] = '\0';
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    REQUIRE(::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) == 0);
    const timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~Listener() { ::close(fd_); }

  // The next datagram, or "" after 5 s without one.
  std::string receive() {
    char buffer[512];
    const ssize_t size = ::recv(fd_, buffer, sizeof buffer, 0);
    return size < 0 ? "" : std::string(buffer, static_cast<size_t>(size));
  }

 private:
  int fd_;
};

std::string unique_name(const char* stem) {
  return std::string(stem) + "-" + std::to_string(::getpid()) + "-" + std::to_string(std::time(nullptr));
}

long long monotonic_microseconds() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

}  // namespace

TEST_CASE("the notifier sends each state as one datagram to a socket path") {
  const auto path = std::filesystem::temp_directory_path() / unique_name("ferry-notify");
  Listener listener(path.string());
  const ferry::runtime::ServiceNotifier notifier(path.string());
  CHECK(notifier.enabled());
  CHECK(notifier.ready().empty());
  CHECK(listener.receive() == "READY=1");
  CHECK(notifier.stopping().empty());
  CHECK(listener.receive() == "STOPPING=1");
  std::filesystem::remove(path);
}

TEST_CASE("the notifier reaches an abstract socket named with @") {
  const std::string name = "@" + unique_name("ferry-notify-test");
  Listener listener(name);
  const ferry::runtime::ServiceNotifier notifier(name);
  CHECK(notifier.notify("STATUS=hello").empty());
  CHECK(listener.receive() == "STATUS=hello");
}

TEST_CASE("RELOADING=1 carries the monotonic time the reload began") {
  const std::string name = "@" + unique_name("ferry-notify-reload");
  Listener listener(name);
  const long long before = monotonic_microseconds();
  CHECK(ferry::runtime::ServiceNotifier(name).reloading().empty());
  const long long after = monotonic_microseconds();
  const std::string message = listener.receive();
  const std::string prefix = "RELOADING=1\nMONOTONIC_USEC=";
  REQUIRE(message.rfind(prefix, 0) == 0);
  const long long stamp = std::stoll(message.substr(prefix.size()));
  CHECK(stamp >= before);
  CHECK(stamp <= after);
}

TEST_CASE("without NOTIFY_SOCKET the notifier does nothing and reports nothing") {
  ::unsetenv("NOTIFY_SOCKET");
  const auto notifier = ferry::runtime::ServiceNotifier::from_environment();
  CHECK_FALSE(notifier.enabled());
  CHECK(notifier.ready().empty());
}

TEST_CASE("the notifier reads the socket from NOTIFY_SOCKET") {
  const std::string name = "@" + unique_name("ferry-notify-env");
  Listener listener(name);
  ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  const auto notifier = ferry::runtime::ServiceNotifier::from_environment();
  ::unsetenv("NOTIFY_SOCKET");
  CHECK(notifier.ready().empty());
  CHECK(listener.receive() == "READY=1");
}

TEST_CASE("a socket that cannot be reached is named in the failure") {
  const auto path = std::filesystem::temp_directory_path() / unique_name("ferry-notify-absent");
  const std::string failure = ferry::runtime::ServiceNotifier(path.string()).ready();
  CHECK_THAT(failure, Catch::Contains(path.string()));
  CHECK_THAT(failure, Catch::Contains("No such file or directory"));
}

TEST_CASE("a NOTIFY_SOCKET that is neither a path nor an abstract name is refused") {
  const std::string failure = ferry::runtime::ServiceNotifier("relative/socket").ready();
  CHECK_THAT(failure, Catch::Contains("\"relative/socket\""));
  CHECK_THAT(failure, Catch::Contains("neither an absolute path"));
}

TEST_CASE("a NOTIFY_SOCKET too long for sockaddr_un is refused") {
  const std::string failure = ferry::runtime::ServiceNotifier("/" + std::string(200, 'x')).ready();
  CHECK_THAT(failure, Catch::Contains("longer than"));
}
