#include "handshake/peer_checks.hpp"

#include "handshake/settings.hpp"
#include "handshake/text.hpp"

namespace ferry::handshake {

std::optional<Refuse> check_not_self(const LocalNode& local, const NodeId& peer) {
  if (peer != local.id) return std::nullopt;
  return Refuse{RefuseCode::wrong_node,
                "node " + to_string(local.id) + " reached itself: remove its own address from transport.peers"};
}

std::optional<Refuse> check_cluster(const LocalNode& local, const std::string& peer_cluster) {
  if (peer_cluster == local.cluster) return std::nullopt;
  return Refuse{RefuseCode::cluster_mismatch,
                "cluster: local " + in_quotes(local.cluster) + ", peer " + in_quotes(peer_cluster)};
}

std::optional<Refuse> check_settings(const LocalNode& local, std::span<const Setting> peer_settings) {
  const auto mismatches = compare_settings(local.settings, peer_settings);
  if (mismatches.empty()) return std::nullopt;
  return settings_refusal(mismatches);
}

bool incoming_wins(const NodeId& local, const NodeId& peer) { return peer < local; }

}  // namespace ferry::handshake
