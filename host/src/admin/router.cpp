#include "admin/router.hpp"

#include <exception>

#include "util/json.hpp"

namespace ferry::admin {
namespace {

// Compares without stopping at the first difference, so that the time taken says nothing about the token.
bool same_secret(const std::string& given, const std::string& expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < given.size(); ++i) difference |= given[i] ^ expected[i % expected.size()];
  return difference == 0;
}

}  // namespace

Response error_response(unsigned status, const std::string& reason) {
  Response response;
  response.status = status;
  response.body = "{\"error\":" + util::json_string(reason) + "}\n";
  return response;
}

void Router::add(const std::string& method, const std::string& path, Handler handler, bool open) {
  routes_[path][method] = Route{std::move(handler), open};
}

void Router::require_token(std::string token) { token_ = std::move(token); }

std::optional<Response> Router::refuse_unauthorized(const Request& request) const {
  if (token_.empty()) return std::nullopt;
  static constexpr std::string_view kScheme = "Bearer ";
  std::optional<std::string> reason;
  if (request.authorization.empty())
    reason = "missing bearer token: send \"Authorization: Bearer TOKEN\" with the token of admin.token_file";
  else if (!request.authorization.starts_with(kScheme))
    reason = "the Authorization header is not a bearer token (\"Bearer TOKEN\")";
  else if (!same_secret(request.authorization.substr(kScheme.size()), token_))
    reason = "wrong bearer token";
  if (!reason) return std::nullopt;
  Response response = error_response(401, *reason);
  response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"ferry\"");
  return response;
}

Response Router::handle(const Request& request) const {
  const std::string path = request.target.substr(0, request.target.find('?'));
  const auto found = routes_.find(path);
  if (found == routes_.end()) return error_response(404, "no such path: " + path);
  const auto& methods = found->second;
  const auto route = methods.find(request.method);
  if (route == methods.end()) {
    std::string allowed;
    for (const auto& [method, ignored] : methods) allowed += (allowed.empty() ? "" : ", ") + method;
    Response response = error_response(405, request.method + " is not allowed on " + path + "; allowed: " + allowed);
    response.headers.emplace_back("Allow", allowed);
    return response;
  }
  if (!route->second.open)
    if (auto refused = refuse_unauthorized(request)) return *refused;
  try {
    return route->second.handler(request);
  } catch (const std::exception& e) {
    return error_response(500, std::string("internal error: ") + e.what());
  }
}

}  // namespace ferry::admin
