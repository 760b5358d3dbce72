// The handshake's frames as typed values, one struct per frame type (docs/protocol.md draws
// each one's records). encode.hpp turns them into bytes and decode.hpp back; decode(encode(x)) == x.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferry::handshake {

using NodeId = std::array<uint8_t, 16>;  // a UUID, as its 16 bytes
using Nonce = std::array<uint8_t, 32>;   // fresh random bytes per handshake, for challenge-response
using Proof = std::array<uint8_t, 32>;   // HMAC-SHA-256 proving knowledge of the cluster secret

// A codec's wire-protocol version. Ordered by major, then minor.
struct Version {
  uint16_t major = 0;
  uint16_t minor = 0;
  auto operator<=>(const Version&) const = default;
};

// One codec a node can speak, with the features (bits) that codec supports.
struct CodecOffer {
  Version version;
  uint64_t features = 0;
  bool operator==(const CodecOffer&) const = default;
};

// A setting that must be equal on both nodes, as text so that a mismatch can be named generically.
struct Setting {
  std::string name;
  std::string value;
  bool operator==(const Setting&) const = default;
};

// Same numbers as FERRY_CODEC_MODE_* in sdk/include/ferry/abi.h.
enum class Mode : uint16_t { stable = 1, rolling = 2 };

// Stable numbers: they travel in REFUSE frames. A peer may send a code this release does not know; it is
// kept as its number.
enum class RefuseCode : uint16_t {
  cluster_mismatch = 1,
  settings_mismatch = 2,
  unknown_node = 3,
  already_connected = 4,
  node_stopping = 5,
  need_wait = 6,
  no_common_codec = 7,
  missing_feature = 8,
  wrong_node = 9,
  handshake_timeout = 10,
  protocol_error = 11,
  authentication_failed = 12,
  identity_mismatch = 13,  // the peer's TLS certificate does not name the node it claims to be
  tls_required = 14,       // this node takes only TLS connections (tls.required) and the peer came in the clear
  tls_failed = 15,         // the TLS handshake under the node handshake failed; local only, never sent
};

// Responder -> initiator, first: who answered.
struct Identify {
  NodeId node_id{};
  std::string node_name;
  std::string cluster;
  uint64_t incarnation = 0;  // random per process start, never 0
  Nonce nonce{};
  std::vector<Setting> settings;  // so that the initiator can check them too
  bool secret_asked = false;      // the responder holds a cluster secret and wants the initiator's proof
  bool operator==(const Identify&) const = default;
};

// Initiator -> responder: who asks, for which connection, with what.
struct Request {
  NodeId node_id{};
  std::string node_name;
  std::string cluster;
  uint64_t incarnation = 0;
  uint64_t expected_incarnation = 0;  // the responder incarnation `received` was counted for; 0 = none
  uint64_t connection_index = 0;
  uint64_t received = 0;  // messages received from the responder on this connection index
  std::vector<Setting> settings;
  std::vector<CodecOffer> offers;  // every codec the initiator will speak (within its max_version)
  std::vector<std::string> required_features;
  std::vector<std::string> disabled_features;
  Nonce nonce{};
  std::string listen_address;  // where the initiator accepts connections; empty when it does not listen
  std::optional<Proof> proof;  // the initiator's proof of the cluster secret, when it holds one
  bool operator==(const Request&) const = default;
};

// Responder -> initiator: the connection is open, on these terms.
struct Accept {
  uint64_t received = 0;    // messages the responder received from this initiator incarnation on the index
  Version responder_codec;  // what the responder speaks
  Version initiator_codec;  // what the initiator must speak (one of its offers)
  Mode mode = Mode::stable;
  uint64_t agreed_features = 0;
  std::optional<Proof> proof;  // the responder's proof of the cluster secret, when it holds one
  bool operator==(const Accept&) const = default;
};

// Either side: the connection is refused, and why. The sender closes after it.
struct Refuse {
  RefuseCode code = RefuseCode::protocol_error;
  std::string reason;  // one human sentence built from the actual values
  bool operator==(const Refuse&) const = default;
};

}  // namespace ferry::handshake
