// Which codec each side speaks on a connection. Pure.
//
// The rule, applied by the responder (docs/protocol.md, "Codec choice"):
//   1. Local offers above the local max_version pin are left out (the initiator leaves its own out before
//      it sends them, with offers_within).
//   2. If both sides offer a common version, the highest one: both speak it, in stable mode.
//   3. Else, if they share a major, the highest common major M: each side speaks its own highest minor of
//      M, in rolling mode (the newer side's extra fields are skipped by the older one, which defaults
//      the fields it does not get).
//   4. Else refused with no_common_codec, naming both sides' versions.
#pragma once

#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "handshake/frames.hpp"

namespace ferry::handshake {

struct CodecChoice {
  Version local;  // what this node speaks
  Version peer;   // what the peer speaks
  Mode mode = Mode::stable;
  uint64_t local_features = 0;  // the feature masks of the two chosen codecs
  uint64_t peer_features = 0;
  bool operator==(const CodecChoice&) const = default;
};

// The offers at or below max; all of them without a pin.
std::vector<CodecOffer> offers_within(std::span<const CodecOffer> offers, std::optional<Version> max);

std::variant<CodecChoice, Refuse> choose_codec(std::span<const CodecOffer> local, std::span<const CodecOffer> peer,
                                               std::optional<Version> local_max);

}  // namespace ferry::handshake
