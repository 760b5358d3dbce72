// A request and a response of the admin endpoint as plain values, so that routing and the API's handlers
// are tested without sockets and compile without Boost.Beast.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ferry::admin {

struct Request {
  std::string method;         // "GET", "POST", ...
  std::string target;         // path and query, "/v1/sessions?x=1"
  std::string authorization;  // the Authorization header, "" when absent
  std::string body;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type and Content-Length
};

// {"error": reason} with the status.
Response error_response(unsigned status, const std::string& reason);

}  // namespace ferry::admin
