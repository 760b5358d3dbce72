// ZeroMQ PUSH/PULL over tcp://127.0.0.1: the one-way message rate ferry's acknowledged messages are held to.
// A pushing thread and a pulling thread in one process; the clock runs on the puller from the first
// message after a warm-up one (so connection set-up is left out) to the last. Prints one JSON line.
#include <zmq.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "anchor_options.hpp"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "%s: %s\n", what, zmq_strerror(zmq_errno()));
    std::exit(1);
  }
}

void push(void* context, const std::string& endpoint, long messages, size_t size) {
  void* socket = zmq_socket(context, ZMQ_PUSH);
  check(socket != nullptr, "zmq_socket PUSH");
  check(zmq_connect(socket, endpoint.c_str()) == 0, "zmq_connect");
  std::vector<char> message(size, 'm');
  for (long i = 0; i < messages; ++i) {
    int sent;
    while ((sent = zmq_send(socket, message.data(), size, 0)) < 0 && zmq_errno() == EINTR) {
    }
    check(sent == static_cast<int>(size), "zmq_send");
  }
  zmq_close(socket);  // the default linger delivers what is still queued before the context ends
}

void pull_one(void* socket, std::vector<char>& buffer) {
  int got;
  while ((got = zmq_recv(socket, buffer.data(), buffer.size(), 0)) < 0 && zmq_errno() == EINTR) {
  }
  check(got == static_cast<int>(buffer.size()), "zmq_recv");
}

}  // namespace

int main(int argc, char** argv) {
  const anchor::Options options = anchor::parse_options(argc, argv, {.count = 1'000'000, .size = 64});
  const auto size = static_cast<size_t>(options.size);

  void* context = zmq_ctx_new();
  check(context != nullptr, "zmq_ctx_new");
  void* socket = zmq_socket(context, ZMQ_PULL);
  check(socket != nullptr, "zmq_socket PULL");
  std::string bind_to = options.port == 0 ? "tcp://127.0.0.1:*" : "tcp://127.0.0.1:" + std::to_string(options.port);
  check(zmq_bind(socket, bind_to.c_str()) == 0, "zmq_bind");
  char endpoint[256];
  size_t endpoint_size = sizeof endpoint;
  check(zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, endpoint, &endpoint_size) == 0, "zmq_getsockopt");

  std::thread pusher(push, context, std::string(endpoint), options.count + 1, size);
  std::vector<char> buffer(size);
  pull_one(socket, buffer);  // warm-up: the connection is up
  auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < options.count; ++i) pull_one(socket, buffer);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  pusher.join();
  zmq_close(socket);
  zmq_ctx_term(context);

  int major, minor, patch;
  zmq_version(&major, &minor, &patch);
  std::printf("{\"anchor\":\"zmq_pushpull\",\"size\":%ld,\"count\":%ld,\"msgs_per_s\":%.0f,\"libzmq\":\"%d.%d.%d\"}\n",
              options.size, options.count, static_cast<double>(options.count) / seconds, major, minor, patch);
}
