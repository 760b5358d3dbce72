// Which handler answers a request: by path, then method (404 for an unknown path, 405 with Allow for a
// known path and another method), after the bearer token check (401) for routes that need it.
//
// Thread safety: handle() may run on any thread once the routes are added; handlers must be thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "admin/http_types.hpp"

namespace ferry::admin {

class Router {
 public:
  using Handler = std::function<Response(const Request&)>;

  // open: answered without the token (health probes, which reveal only that the node is up).
  void add(const std::string& method, const std::string& path, Handler handler, bool open = false);
  // Routes not added as open then need "Authorization: Bearer TOKEN"; "" = no token needed.
  void require_token(std::string token);

  // Never throws: a handler's exception becomes a 500 naming it.
  Response handle(const Request& request) const;

 private:
  struct Route {
    Handler handler;
    bool open = false;
  };
  std::optional<Response> refuse_unauthorized(const Request& request) const;

  std::map<std::string, std::map<std::string, Route>> routes_;  // path -> method -> route
  std::string token_;
};

}  // namespace ferry::admin
