// The body of POST /v1/sessions, {"to": "HOST:PORT", "paths": ["PATH", ...]}, read strictly: unknown
// members and wrong types are refused with a 400 naming them.
#pragma once

#include <string>
#include <variant>

#include "admin/node_api.hpp"

namespace ferry::admin {

std::variant<SessionRequest, Response> parse_session_request(const std::string& body);

}  // namespace ferry::admin
