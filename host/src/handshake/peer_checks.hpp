// The checks both roles make of the peer's identity and settings, in the order they are applied. Pure.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "handshake/frames.hpp"
#include "handshake/local_node.hpp"

namespace ferry::handshake {

// wrong_node when the peer is this very node (its own address is among its peers).
std::optional<Refuse> check_not_self(const LocalNode& local, const NodeId& peer);
// cluster_mismatch: "cluster: local "prod", peer "staging"".
std::optional<Refuse> check_cluster(const LocalNode& local, const std::string& peer_cluster);
// settings_mismatch naming every differing setting (settings.hpp).
std::optional<Refuse> check_settings(const LocalNode& local, std::span<const Setting> peer_settings);

// Two nodes that connect to each other at once with the same connection index keep one connection: the
// one initiated by the node with the lower node id (bytewise, which is also the order of the text form).
// True when the peer's incoming connection is that one.
bool incoming_wins(const NodeId& local, const NodeId& peer);

}  // namespace ferry::handshake
