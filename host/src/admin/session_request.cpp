#include "admin/session_request.hpp"

#include "admin/json_reader.hpp"

namespace ferry::admin {
namespace {

Response bad_request(const std::string& reason) {
  return error_response(400, "POST /v1/sessions: " + reason +
                                        "; expected {\"to\": \"HOST:PORT\", \"paths\": [\"PATH\", ...]}");
}

}  // namespace

std::variant<SessionRequest, Response> parse_session_request(const std::string& body) {
  const auto read = read_json(body);
  if (!read.error.empty()) return bad_request("the body is not JSON: " + read.error);
  const JsonValue& root = read.value;
  if (root.kind != JsonValue::Kind::object) return bad_request("the body is not a JSON object");
  SessionRequest request;
  for (const auto& [name, value] : root.members) {
    if (name == "to") {
      if (value.kind != JsonValue::Kind::string || value.text.empty())
        return bad_request("\"to\" must be a non-empty string");
      request.to = value.text;
    } else if (name == "paths") {
      if (value.kind != JsonValue::Kind::array) return bad_request("\"paths\" must be an array of strings");
      for (const auto& item : value.items) {
        if (item.kind != JsonValue::Kind::string || item.text.empty())
          return bad_request("\"paths\" must hold non-empty strings");
        request.paths.push_back(item.text);
      }
    } else {
      return bad_request("unknown member \"" + name + "\"");
    }
  }
  if (request.to.empty()) return bad_request("\"to\" is missing");
  if (request.paths.empty()) return bad_request("\"paths\" is missing or empty");
  return request;
}

}  // namespace ferry::admin
