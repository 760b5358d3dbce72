// Which features a connection uses. Pure.
//
// Feature bits mean the same in every codec of every version; names map to bits through the names the
// loaded codecs declare. Agreed = both chosen codecs' masks, minus what either side disables. Every
// feature a side requires must be in the agreed mask, or the connection is refused with missing_feature,
// naming each missing feature, which side requires it and why it is missing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "handshake/codec_choice.hpp"
#include "handshake/frames.hpp"

namespace ferry::handshake {

struct FeatureName {
  std::string name;
  uint32_t bit = 0;  // 0..63; names of larger bits are ignored
};

// protocol.require_features and protocol.disable_features of one side.
struct FeaturePolicy {
  std::vector<std::string> required;
  std::vector<std::string> disabled;
};

// The bit of a feature name (as a one-bit mask), nullopt when no loaded codec declares it.
std::optional<uint64_t> feature_bit(std::span<const FeatureName> names, const std::string& name);
// The bits of the names this node knows; names it does not know cannot be in its codecs' masks, so
// leaving them out is exact.
uint64_t feature_mask(std::span<const FeatureName> names, const std::vector<std::string>& list);

// The policy of a connection inside TLS: data_crc32c disabled, unless required. Every TLS record carries an
// authentication tag that fails on any changed byte, so a CRC32C per chunk would only add a pass over the
// data on each side.
FeaturePolicy over_tls(FeaturePolicy policy);

std::variant<uint64_t, Refuse> agree_features(const CodecChoice& codecs, const FeaturePolicy& local,
                                              const FeaturePolicy& peer, std::span<const FeatureName> names);

}  // namespace ferry::handshake
