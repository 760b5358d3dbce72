#include "handshake/initiator.hpp"

#include <algorithm>
#include <cstdio>

#include "handshake/codec_choice.hpp"
#include "handshake/features.hpp"
#include "handshake/peer_checks.hpp"
#include "handshake/text.hpp"

namespace ferry::handshake {
namespace {

std::string hex_mask(uint64_t mask) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(mask));
  return text;
}

std::optional<Refuse> protocol_error(const std::string& what) {
  return Refuse{RefuseCode::protocol_error, "ACCEPT " + what};
}

std::optional<Refuse> check_pairing(const Accept& accept) {
  const Version mine = accept.initiator_codec;
  const Version theirs = accept.responder_codec;
  if (accept.mode == Mode::stable && mine != theirs)
    return protocol_error("pairs codecs " + to_string(mine) + " and " + to_string(theirs) + " in stable mode");
  if (accept.mode == Mode::rolling && (mine.major != theirs.major || mine.minor == theirs.minor))
    return protocol_error("pairs codecs " + to_string(mine) + " and " + to_string(theirs) +
                          " in rolling mode, which needs one major and two minors");
  return std::nullopt;
}

}  // namespace

std::optional<Refuse> check_identify(const LocalNode& local, const std::optional<NodeId>& expected,
                                     const Identify& identify) {
  if (auto refusal = check_not_self(local, identify.node_id)) return refusal;
  if (expected && identify.node_id != *expected)
    return Refuse{RefuseCode::wrong_node, "expected node " + to_string(*expected) + ", reached node " +
                                              to_string(identify.node_id) + " (" + in_quotes(identify.node_name) + ")"};
  if (auto refusal = check_cluster(local, identify.cluster)) return refusal;
  return check_settings(local, identify.settings);
}

Request make_request(const LocalNode& local, uint64_t connection_index, const Progress& progress, const Nonce& nonce) {
  return Request{local.id,
                 local.name,
                 local.cluster,
                 local.incarnation,
                 progress.incarnation,
                 connection_index,
                 progress.received,
                 local.settings,
                 offers_within(local.codecs, local.max_version),
                 local.features.required,
                 local.features.disabled,
                 nonce,
                 local.listen_address,
                 std::nullopt};
}

std::optional<Refuse> check_accept(const LocalNode& local, const Request& sent, const Accept& accept) {
  const auto offer = std::find_if(sent.offers.begin(), sent.offers.end(),
                                  [&](const CodecOffer& o) { return o.version == accept.initiator_codec; });
  if (offer == sent.offers.end())
    return protocol_error("assigns codec " + to_string(accept.initiator_codec) + " to this node, which offered " +
                          list_versions(sent.offers));
  if (auto refusal = check_pairing(accept)) return refusal;

  const uint64_t disabled = feature_mask(local.feature_names, local.features.disabled);
  const uint64_t beyond = accept.agreed_features & ~(offer->features & ~disabled);
  if (beyond != 0)
    return protocol_error("agrees features " + hex_mask(beyond) + ", which codec " + to_string(offer->version) +
                          " lacks or this node disables");

  std::string missing;
  for (const std::string& name : local.features.required) {
    const auto bit = feature_bit(local.feature_names, name);
    if (bit && (accept.agreed_features & *bit)) continue;
    missing += (missing.empty() ? "" : "; ") +
               ("feature " + in_quotes(name) + " required by local: the peer's ACCEPT leaves it out");
  }
  if (!missing.empty()) return Refuse{RefuseCode::missing_feature, missing};
  return std::nullopt;
}

}  // namespace ferry::handshake
