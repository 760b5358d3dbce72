// The handshake's view of the node's configuration. The codecs and their feature names come from the
// loaded codec plugins, which the configuration does not know.
#pragma once

#include <cstdint>
#include <vector>

#include "config/config.hpp"
#include "handshake/features.hpp"
#include "handshake/frames.hpp"
#include "handshake/local_node.hpp"
#include "handshake/result.hpp"

namespace ferry::handshake {

// The settings that must agree between nodes, by their wire names: connections_per_peer,
// paired_connections ("true"/"false"), max_message_size (bytes, decimal) and checksum. The cluster name is
// compared on its own (cluster_mismatch), so it is not among them.
std::vector<Setting> must_agree_settings(const config::CommunicationSection& communication);

// Fails only for a protocol.max_version that config validation would have rejected.
Result<LocalNode> local_node(const config::Config& config, const NodeId& id, uint64_t incarnation,
                             std::vector<CodecOffer> codecs, std::vector<FeatureName> feature_names);

}  // namespace ferry::handshake
