// A blocking HTTP/1.1 GET against an admin endpoint, for `ferry status`. Boost.Beast stays inside
// client.cpp.
#pragma once

#include <chrono>
#include <string>

namespace ferry::admin {

struct Answer {
  unsigned status = 0;  // 0 when no answer came
  std::string body;
  std::string error;  // why no answer came: cannot connect, timed out, ...
};

// address: "HOST:PORT"; token: sent as a bearer token unless empty; timeout bounds the whole exchange.
Answer get(const std::string& address, const std::string& path, const std::string& token,
           std::chrono::milliseconds timeout);

}  // namespace ferry::admin
