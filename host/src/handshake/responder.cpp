#include "handshake/responder.hpp"

#include <algorithm>

#include "handshake/codec_choice.hpp"
#include "handshake/features.hpp"
#include "handshake/peer_checks.hpp"
#include "handshake/text.hpp"

namespace ferry::handshake {
namespace {

std::optional<Refuse> check_allowed(const LocalNode& local, const Request& request) {
  const auto& allowed = local.allowed_nodes;
  if (allowed.empty() || std::find(allowed.begin(), allowed.end(), request.node_name) != allowed.end())
    return std::nullopt;
  return Refuse{RefuseCode::unknown_node, "node " + in_quotes(request.node_name) +
                                              " is not in communication.allowed_nodes of node " +
                                              in_quotes(local.name)};
}

// Checked after the settings, which agree by then: an index beyond them is the peer's bug.
std::optional<Refuse> check_connection_index(const LocalNode& local, const Request& request) {
  if (request.connection_index < local.connection_slots) return std::nullopt;
  return Refuse{RefuseCode::protocol_error, "connection index " + std::to_string(request.connection_index) +
                                                " is out of range: the agreed settings allow 0.." +
                                                std::to_string(local.connection_slots - 1)};
}

std::optional<Refuse> check_readiness(const LocalNode& local, Readiness readiness) {
  if (readiness == Readiness::stopping)
    return Refuse{RefuseCode::node_stopping, "node " + in_quotes(local.name) + " is stopping"};
  if (readiness == Readiness::starting)
    return Refuse{RefuseCode::need_wait, "node " + in_quotes(local.name) + " is still starting; try again shortly"};
  return std::nullopt;
}

std::optional<Refuse> check_tie_break(const LocalNode& local, const Request& request, Existing existing) {
  if (existing != Existing::ours || incoming_wins(local.id, request.node_id)) return std::nullopt;
  return Refuse{RefuseCode::already_connected,
                "node " + in_quotes(local.name) + " keeps the connection with index " +
                    std::to_string(request.connection_index) +
                    " that it initiated itself: of two simultaneous connections, the one initiated by the lower node "
                    "id (" +
                    to_string(local.id) + ") survives"};
}

}  // namespace

Identify make_identify(const LocalNode& local, const Nonce& nonce) {
  return Identify{local.id,    local.name,     local.cluster, local.incarnation, nonce,
                  local.settings, !local.cluster_secret.empty()};
}

std::variant<Accept, Refuse> evaluate_request(const LocalNode& local, const Request& request, const HostState& host) {
  if (auto refusal = check_not_self(local, request.node_id)) return *refusal;
  if (auto refusal = check_cluster(local, request.cluster)) return *refusal;
  if (auto refusal = check_allowed(local, request)) return *refusal;
  if (auto refusal = check_settings(local, request.settings)) return *refusal;
  if (auto refusal = check_connection_index(local, request)) return *refusal;

  auto codecs = choose_codec(local.codecs, request.offers, local.max_version);
  if (auto* refusal = std::get_if<Refuse>(&codecs)) return *refusal;
  const CodecChoice& choice = std::get<CodecChoice>(codecs);
  auto features = agree_features(
      choice, local.features, FeaturePolicy{request.required_features, request.disabled_features}, local.feature_names);
  if (auto* refusal = std::get_if<Refuse>(&features)) return *refusal;

  if (auto refusal = check_readiness(local, host.readiness())) return *refusal;
  if (auto refusal = check_tie_break(local, request, host.existing(request.node_id, request.connection_index)))
    return *refusal;

  const Progress progress = host.progress(request.node_id, request.connection_index);
  const uint64_t received = progress.incarnation == request.incarnation ? progress.received : 0;
  return Accept{received, choice.local, choice.peer, choice.mode, std::get<uint64_t>(features), std::nullopt};
}

uint64_t peer_received(const LocalNode& local, const Request& request) {
  return request.expected_incarnation == local.incarnation ? request.received : 0;
}

}  // namespace ferry::handshake
