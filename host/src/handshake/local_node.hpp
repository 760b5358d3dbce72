// What the handshake knows about this node (LocalNode, fixed for a handshake's life; a reload builds a new
// one for new connections) and what it asks the host about its connections (HostState, live).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "handshake/features.hpp"
#include "handshake/frames.hpp"

namespace ferry::handshake {

struct LocalNode {
  NodeId id{};
  std::string name;
  std::string cluster;
  uint64_t incarnation = 0;                // random per process start, never 0
  std::vector<Setting> settings;           // must agree with every peer's (from_config.hpp builds them)
  std::vector<CodecOffer> codecs;          // every loaded and enabled codec
  std::optional<Version> max_version;      // protocol.max_version; nullopt = no pin
  std::vector<FeatureName> feature_names;  // the names the loaded codecs give their feature bits
  FeaturePolicy features;                  // protocol.require_features and disable_features
  std::vector<std::string> allowed_nodes;  // node names allowed to connect; empty = any node of the cluster
  // Connection indexes a peer may use: connections_per_peer, twice that with paired_connections (one
  // index per direction, protocol.md §1.7).
  uint64_t connection_slots = 1;
  std::string listen_address;  // the address this node accepts connections at; empty when it does not listen
  std::vector<uint8_t> cluster_secret;  // communication.cluster_secret_file's secret; empty = none
};

// What this node has received from one incarnation of a peer on one connection index.
struct Progress {
  uint64_t incarnation = 0;  // the peer incarnation that sent the messages; 0 = none received
  uint64_t received = 0;
};

enum class Readiness { ready, starting, stopping };

// Who initiated a connection that already exists, or is being set up, for the same peer and index.
enum class Existing { none, ours, theirs };

// Implemented by the connection manager (and by fakes in tests). Called synchronously from the
// handshake, on the connection's thread; implementations must be safe to call from there.
class HostState {
 public:
  virtual ~HostState() = default;
  virtual Readiness readiness() const = 0;
  virtual Progress progress(const NodeId& peer, uint64_t connection_index) const = 0;
  virtual Existing existing(const NodeId& peer, uint64_t connection_index) const = 0;
};

}  // namespace ferry::handshake
