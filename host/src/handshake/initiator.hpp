// The initiator's side of the handshake as pure functions: its checks of the responder's IDENTIFY and
// ACCEPT, and the REQUEST it sends. The Handshake state machine (handshake.hpp) drives them.
#pragma once

#include <optional>

#include "handshake/frames.hpp"
#include "handshake/local_node.hpp"

namespace ferry::handshake {

// wrong_node (the responder is this node, or not the node expected at this address), then
// cluster_mismatch, then settings_mismatch. expected = nullopt when any node may answer.
std::optional<Refuse> check_identify(const LocalNode& local, const std::optional<NodeId>& expected,
                                     const Identify& identify);

// progress: what this node has received on the index from the responder (HostState::progress); the
// responder applies it only if it was counted for its current incarnation.
Request make_request(const LocalNode& local, uint64_t connection_index, const Progress& progress, const Nonce& nonce);

// The responder decided; this checks it decided within what the REQUEST offered: protocol_error when it
// assigns a codec not offered, pairs codecs inconsistently with the mode or agrees features this node's
// codec lacks or it disables; missing_feature when a feature this node requires was left out.
std::optional<Refuse> check_accept(const LocalNode& local, const Request& sent, const Accept& accept);

}  // namespace ferry::handshake
