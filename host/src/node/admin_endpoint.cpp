#include "node/admin_endpoint.hpp"

#include "admin/token_file.hpp"
#include "node/admin_sessions.hpp"

namespace ferry::node {

AdminEndpoint::AdminEndpoint(const Parts& parts) : metrics_(parts.communicator, parts.streams) {
  set_plugins(parts.catalog);
}

AdminEndpoint::~AdminEndpoint() { stop(); }

std::variant<std::unique_ptr<AdminEndpoint>, std::string> AdminEndpoint::start(const Parts& parts) {
  const config::AdminSection& settings = parts.config.admin;
  admin::Router router;
  if (!settings.token_file.empty()) {
    auto token = admin::read_token_file(settings.token_file);
    if (!token.error.empty()) return token.error;
    router.require_token(std::move(token.token));
  }
  std::unique_ptr<AdminEndpoint> endpoint(new AdminEndpoint(parts));
  AdminEndpoint* self = endpoint.get();
  comm::Communicator* communicator = &parts.communicator;
  StreamService* streams = &parts.streams;
  admin::NodeView view;
  view.name = parts.config.node.name;
  view.id = parts.node_id;
  view.cluster = parts.config.node.cluster;
  view.listen = parts.listen;
  view.configured_peers = parts.config.transport.peers;
  view.ready = [self] { return self->ready_.load(); };
  view.connections = [communicator] { return communicator->connections(); };
  view.sessions = [streams] { return streams->sessions(); };
  view.plugins = [self] {
    std::lock_guard lock(self->plugins_mutex_);
    return self->plugins_;
  };
  const auto& communication = parts.config.communication;
  view.start_session = session_starter(parts.communicator, parts.streams,
                                       communication.connect_timeout + communication.handshake_timeout);
  std::string error;
  view.admin_listen = endpoint->server_.bind(settings.listen, error);
  if (!error.empty()) return error;
  endpoint->address_ = view.admin_listen;
  admin::add_node_routes(router, std::move(view));
  endpoint->server_.serve(std::move(router));
  return endpoint;
}

void AdminEndpoint::set_plugins(const plugin::Catalog& catalog) {
  std::vector<admin::PluginSummary> plugins;
  for (const auto& record : catalog.records())
    if (record.loaded) plugins.push_back({record.kind, record.name, record.version, record.path.string()});
  std::lock_guard lock(plugins_mutex_);
  plugins_ = std::move(plugins);
}

void AdminEndpoint::stop() { server_.stop(); }

}  // namespace ferry::node

