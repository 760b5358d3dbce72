// The admin HTTP endpoint (docs/operations.md, "Admin API"): HTTP/1.1 with keep-alive, one coroutine per
// connection, every request bounded in header and body size and in time, and a cap on open connections.
// A request the parser refuses gets 400, 413 or 431 and its connection closes; nothing a client sends
// reaches the rest of the node except through the router.
//
// It runs on a thread of its own rather than on the node's event loop: the status handlers wait for the
// communication layer's strand, which on a one-thread loop would wait for themselves. Boost.Beast stays
// inside server.cpp.
//
// Thread safety: bind(), serve() and stop() from one thread; the router's handlers run on the admin thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "admin/router.hpp"

namespace ferry::admin {

struct ServerLimits {
  size_t header_bytes = 8 * 1024;   // beyond: 431
  size_t body_bytes = 64 * 1024;    // beyond: 413
  std::chrono::milliseconds read_timeout{10 * 1000};  // for a whole request, and for writing the answer
  size_t connections = 16;          // beyond: 503 and the connection closes
};

class Server {
 public:
  explicit Server(ServerLimits limits = {});
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds listen ("HOST:PORT", port 0 = any); returns the address bound (port 0 resolved), or "" and
  // sets error.
  std::string bind(const std::string& listen, std::string& error);
  // Starts answering on the admin thread, after bind() succeeded.
  void serve(Router router);
  // Closes the listener and every connection, and joins the thread. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ferry::admin
