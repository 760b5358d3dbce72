// The responder's side of the handshake as pure functions: what it says first, and its decision on a
// REQUEST. The Handshake state machine (handshake.hpp) drives them.
#pragma once

#include <variant>

#include "handshake/frames.hpp"
#include "handshake/local_node.hpp"

namespace ferry::handshake {

Identify make_identify(const LocalNode& local, const Nonce& nonce);

// Accept, or the first refusal in this order (lasting problems before passing ones, so that a peer is
// never told "retry" when retrying cannot help):
//   wrong_node (the peer is this node), cluster_mismatch, unknown_node (allowed_nodes), settings_mismatch,
//   no_common_codec, missing_feature, node_stopping, need_wait, already_connected (tie-break loser).
// An existing connection the peer initiated does not refuse: the peer reconnects, and the new
// connection replaces the old one.
std::variant<Accept, Refuse> evaluate_request(const LocalNode& local, const Request& request, const HostState& host);

// What the peer has received of this node's messages: its count, unless it was counted for an earlier
// incarnation of this node, whose messages died with it.
uint64_t peer_received(const LocalNode& local, const Request& request);

}  // namespace ferry::handshake
