// Cluster-secret authentication (docs/protocol.md §1.11): each side proves it holds the secret named by
// communication.cluster_secret_file with an HMAC-SHA-256 over both sides' fresh nonces, both node ids and
// its own role. The secret itself never crosses the wire; the nonces make every proof good for one
// handshake only, and the role and ids stop a proof from being reflected back or passed on to another node.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "handshake/frames.hpp"
#include "handshake/local_node.hpp"
#include "handshake/result.hpp"

namespace ferry::handshake {

enum class Role { initiator, responder };

// The nonces and ids of one handshake, as both sides know them once IDENTIFY and REQUEST crossed.
struct ProofContext {
  Nonce responder_nonce{};
  Nonce initiator_nonce{};
  NodeId responder_id{};
  NodeId initiator_id{};
};

Proof secret_proof(std::span<const uint8_t> secret, Role role, const ProofContext& context);

// Initiator, on IDENTIFY: a node holding a secret talks only to nodes that ask for its proof.
std::optional<Refuse> check_secret_asked(const LocalNode& local, const Identify& identify);
// Responder, on REQUEST: the initiator's proof, when this node holds a secret.
std::optional<Refuse> check_initiator_proof(const LocalNode& local, const Request& request,
                                            const ProofContext& context);
// Initiator, on ACCEPT: the responder's proof, when this node holds a secret.
std::optional<Refuse> check_responder_proof(const LocalNode& local, const Accept& accept,
                                            const ProofContext& context);

// The secret in a file: its bytes without trailing line ends, at least 16 of them.
Result<std::vector<uint8_t>> read_cluster_secret(const std::string& path);

}  // namespace ferry::handshake
