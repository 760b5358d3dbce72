// A TCP listener on 127.0.0.1 that never accepts: connects complete in the kernel's backlog, and no
// handshake ever gets an answer, so a node's attempts stay under way until something cancels them.
#pragma once

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace ferry::comm_test {

class SilentListener {
 public:
  SilentListener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    socket_address_.sin_family = AF_INET;
    socket_address_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&socket_address_), sizeof socket_address_) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t length = sizeof socket_address_;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&socket_address_), &length) == 0);
    address_ = "127.0.0.1:" + std::to_string(ntohs(socket_address_.sin_port));
  }
  ~SilentListener() { ::close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;

  // As a node's configuration writes it, and as connect(2) takes it.
  const std::string& address() const { return address_; }
  const sockaddr_in& socket_address() const { return socket_address_; }

 private:
  int fd_;
  sockaddr_in socket_address_{};
  std::string address_;
};

}  // namespace ferry::comm_test
