// The admin API's view of the node and the routes that show it (docs/operations.md, "Admin API"):
// /healthz, /readyz, /metrics, /v1/status and /v1/sessions. The node fills NodeView with functions that
// read its live state; the routes only format what they return.
#pragma once

#include <functional>
#include <variant>
#include <string>
#include <vector>

#include "admin/router.hpp"
#include "comm/communicator.hpp"
#include "node/session_report.hpp"

namespace ferry::admin {

struct PluginSummary {
  std::string kind, name, version, path;
};

// Asks for a session with the peer at an address (POST /v1/sessions). Returns the session id, or an
// error response saying what was wrong.
struct SessionRequest {
  std::string to;                  // the peer's address, as `ferry send --to` takes it
  std::vector<std::string> paths;  // files and directories on this node to send
};
using SessionStart = std::function<std::variant<std::string, Response>(const SessionRequest&)>;

struct NodeView {
  std::string name, id, cluster;
  std::string listen;        // the peer listener, as bound
  std::string admin_listen;  // this endpoint, as bound
  std::vector<std::string> configured_peers;  // transport.peers, as written
  std::function<bool()> ready;                // listeners bound, started, not stopping
  std::function<std::vector<comm::ConnectionSummary>()> connections;
  std::function<std::vector<node::SessionReport>()> sessions;
  std::function<std::vector<PluginSummary>()> plugins;
  SessionStart start_session;
};

// view's functions must stay callable for as long as router may handle requests.
void add_node_routes(Router& router, NodeView view);

// The JSON documents, for tests and `ferry status`.
std::string status_json(const NodeView& view);
std::string sessions_json(const std::vector<node::SessionReport>& sessions);

}  // namespace ferry::admin
