// The node's admin endpoint ([admin], docs/operations.md "Admin API"): the HTTP server with the node's
// routes, over its communicator, its sessions and its plugins, and the metrics read from them.
//
// Thread safety: set_plugins and set_ready may be called from any thread; the routes run on the admin
// server's thread.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "admin/node_api.hpp"
#include "admin/server.hpp"
#include "comm/communicator.hpp"
#include "config/config.hpp"
#include "node/node_metrics.hpp"
#include "node/stream_service.hpp"
#include "plugin/catalog.hpp"

namespace ferry::node {

class AdminEndpoint {
 public:
  struct Parts {
    const config::Config& config;
    std::string node_id;
    std::string listen;  // the peer listener, as bound
    comm::Communicator& communicator;
    StreamService& streams;
    const plugin::Catalog& catalog;
  };
  // Reads admin.token_file and binds admin.listen; the sentence saying what failed otherwise. communicator
  // and streams must outlive the endpoint, or its stop().
  static std::variant<std::unique_ptr<AdminEndpoint>, std::string> start(const Parts& parts);
  ~AdminEndpoint();

  const std::string& address() const { return address_; }
  // The plugins /v1/status lists (after a reload).
  void set_plugins(const plugin::Catalog& catalog);
  // /readyz: true once the node is ready, false again when it begins stopping.
  void set_ready(bool ready) { ready_ = ready; }
  // Stops serving: after it returns no route runs.
  void stop();

 private:
  AdminEndpoint(const Parts& parts);

  std::atomic<bool> ready_{false};
  std::mutex plugins_mutex_;
  std::vector<admin::PluginSummary> plugins_;
  NodeMetrics metrics_;
  std::string address_;
  admin::Server server_;
};

}  // namespace ferry::node
