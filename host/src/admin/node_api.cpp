#include "admin/node_api.hpp"

#include <cstdio>

#include "admin/session_request.hpp"
#include "config/peer_entry.hpp"
#include "metrics/registry.hpp"
#include "stream/session_types.hpp"
#include "util/json.hpp"
#include "version.hpp"

namespace ferry::admin {
namespace {

void field(std::string& out, const char* name, const std::string& value) {
  if (out.back() != '{') out += ',';
  util::append_json_string(out, name);
  out += ':';
  util::append_json_string(out, value);
}

void field(std::string& out, const char* name, uint64_t value) {
  if (out.back() != '{') out += ',';
  util::append_json_string(out, name);
  out += ':' + std::to_string(value);
}

void field(std::string& out, const char* name, bool value) {
  if (out.back() != '{') out += ',';
  util::append_json_string(out, name);
  out += value ? ":true" : ":false";
}

void raw_field(std::string& out, const char* name, const std::string& json) {
  if (out.back() != '{') out += ',';
  util::append_json_string(out, name);
  out += ':' + json;
}

std::string connection_json(const comm::ConnectionSummary& c) {
  std::string out = "{";
  field(out, "peer_id", c.peer_id);
  field(out, "peer_name", c.peer_name);
  field(out, "peer_address", c.peer_address);
  field(out, "local_address", c.local_address);
  field(out, "connection_index", uint64_t{c.connection_index});
  field(out, "initiated", c.initiated);
  field(out, "transport", c.transport);
  field(out, "codec_version", c.version);
  field(out, "mode", c.mode);
  field(out, "features", c.features);
  field(out, "tls", c.tls);
  field(out, "queued", c.queued);
  field(out, "unacknowledged", c.unacknowledged);
  field(out, "sendfile", c.sendfile);
  return out + "}";
}

std::string plugin_json(const PluginSummary& p) {
  std::string out = "{";
  field(out, "kind", p.kind);
  field(out, "name", p.name);
  field(out, "version", p.version);
  field(out, "path", p.path);
  return out + "}";
}

// A configured peer is connected when a live connection was dialled to its address (or, when the entry
// names the node expected there, comes from that node).
bool peer_connected(const config::PeerEntry& entry, const std::vector<comm::ConnectionSummary>& connections) {
  for (const auto& c : connections)
    if (entry.address == c.peer_address || (!entry.expected_id.empty() && entry.expected_id == c.peer_id))
      return true;
  return false;
}

template <typename T, typename F>
std::string array(const std::vector<T>& items, F to_json) {
  std::string out = "[";
  for (const auto& item : items) out += (out.size() > 1 ? "," : "") + to_json(item);
  return out + "]";
}

std::string session_json(const node::SessionReport& r) {
  const double seconds = std::chrono::duration<double>(r.elapsed).count();
  const uint64_t done = r.bytes_sent + r.bytes_received;
  std::string out = "{";
  field(out, "session", r.session);
  field(out, "peer", r.peer);
  field(out, "role", std::string(r.role == stream::Role::initiator ? "initiator" : "follower"));
  field(out, "state", std::string(stream::state_name(r.state)));
  field(out, "sink", r.sink);
  field(out, "files_to_send", r.files_to_send);
  field(out, "files_sent", r.files_sent);
  field(out, "files_to_receive", r.files_to_receive);
  field(out, "files_received", r.files_received);
  field(out, "bytes_to_send", r.bytes_to_send);
  field(out, "bytes_sent", r.bytes_sent);
  field(out, "bytes_to_receive", r.bytes_to_receive);
  field(out, "bytes_received", r.bytes_received);
  char number[64];
  std::snprintf(number, sizeof number, "%.3f", seconds);
  raw_field(out, "seconds", number);
  field(out, "bytes_per_s", static_cast<uint64_t>(seconds > 0 ? static_cast<double>(done) / seconds : 0));
  field(out, "retries", r.retries);
  field(out, "skipped", r.skipped);
  field(out, "bytes_skipped", r.bytes_skipped);
  field(out, "reason", r.reason);
  return out + "}";
}

Response json(std::string body, unsigned status = 200) {
  Response response;
  response.status = status;
  response.body = std::move(body) + "\n";
  return response;
}

Response text(unsigned status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

}  // namespace

std::string status_json(const NodeView& view) {
  const auto connections = view.connections();
  std::string node = "{";
  field(node, "name", view.name);
  field(node, "id", view.id);
  field(node, "cluster", view.cluster);
  field(node, "version", std::string(FERRY_VERSION));
  field(node, "listen", view.listen);
  field(node, "admin_listen", view.admin_listen);
  field(node, "ready", view.ready());
  node += "}";
  std::string out = "{";
  raw_field(out, "node", node);
  raw_field(out, "peers", array(view.configured_peers, [&](const std::string& entry) {
              const config::PeerEntry peer_entry = config::split_peer(entry);
              std::string peer = "{";
              field(peer, "address", peer_entry.address);
              field(peer, "expected_id", peer_entry.expected_id);
              field(peer, "connected", peer_connected(peer_entry, connections));
              return peer + "}";
            }));
  raw_field(out, "connections", array(connections, connection_json));
  raw_field(out, "plugins", array(view.plugins(), plugin_json));
  return out + "}";
}

std::string sessions_json(const std::vector<node::SessionReport>& sessions) {
  return "{\"sessions\":" + array(sessions, session_json) + "}";
}

void add_node_routes(Router& router, NodeView view) {
  auto shared = std::make_shared<const NodeView>(std::move(view));
  router.add("GET", "/healthz", [](const Request&) { return text(200, "ok\n"); }, true);
  router.add("GET", "/readyz", [shared](const Request&) {
    return shared->ready() ? text(200, "ready\n") : text(503, "not ready: starting or stopping\n");
  }, true);
  router.add("GET", "/metrics", [](const Request&) {
    Response response = text(200, metrics::registry().render());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  });
  router.add("GET", "/v1/status", [shared](const Request&) { return json(status_json(*shared)); });
  router.add("GET", "/v1/sessions", [shared](const Request&) { return json(sessions_json(shared->sessions())); });
  router.add("POST", "/v1/sessions", [shared](const Request& request) {
    if (!shared->ready()) return error_response(503, "the node is not ready: starting or stopping");
    auto parsed = parse_session_request(request.body);
    if (auto* refused = std::get_if<Response>(&parsed)) return *refused;
    auto started = shared->start_session(std::get<SessionRequest>(parsed));
    if (auto* refused = std::get_if<Response>(&started)) return *refused;
    return json("{\"session\":" + util::json_string(std::get<std::string>(started)) + "}", 202);
  });
}

}  // namespace ferry::admin
