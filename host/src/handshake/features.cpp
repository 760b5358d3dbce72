#include "handshake/features.hpp"

#include <algorithm>

#include "handshake/text.hpp"

namespace ferry::handshake {

std::optional<uint64_t> feature_bit(std::span<const FeatureName> names, const std::string& name) {
  for (const FeatureName& known : names)
    if (known.name == name && known.bit < 64) return uint64_t{1} << known.bit;
  return std::nullopt;
}

uint64_t feature_mask(std::span<const FeatureName> names, const std::vector<std::string>& list) {
  uint64_t mask = 0;
  for (const std::string& name : list) mask |= feature_bit(names, name).value_or(0);
  return mask;
}

FeaturePolicy over_tls(FeaturePolicy policy) {
  const auto listed = [](const std::vector<std::string>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  if (!listed(policy.required, "data_crc32c") && !listed(policy.disabled, "data_crc32c"))
    policy.disabled.emplace_back("data_crc32c");
  return policy;
}

std::variant<uint64_t, Refuse> agree_features(const CodecChoice& codecs, const FeaturePolicy& local,
                                              const FeaturePolicy& peer, std::span<const FeatureName> names) {
  const uint64_t local_disabled = feature_mask(names, local.disabled);
  const uint64_t peer_disabled = feature_mask(names, peer.disabled);
  const uint64_t agreed = codecs.local_features & codecs.peer_features & ~local_disabled & ~peer_disabled;

  std::vector<std::string> problems;
  const auto check = [&](const std::vector<std::string>& required, const char* side) {
    for (const std::string& name : required) {
      const auto bit = feature_bit(names, name);
      if (bit && (agreed & *bit)) continue;
      std::string why;
      if (!bit)
        why = "local does not know it";
      else if (!(codecs.local_features & *bit))
        why = "local codec " + to_string(codecs.local) + " lacks it";
      else if (!(codecs.peer_features & *bit))
        why = "peer codec " + to_string(codecs.peer) + " lacks it";
      else if (local_disabled & *bit)
        why = "local disables it";
      else
        why = "peer disables it";
      problems.push_back("feature " + in_quotes(name) + " required by " + side + ": " + why);
    }
  };
  check(local.required, "local");
  check(peer.required, "peer");
  if (problems.empty()) return agreed;

  // A peer may require thousands of names; the sentence names the first few.
  constexpr size_t shown = 8;
  std::string sentence;
  for (size_t i = 0; i < problems.size() && i < shown; ++i) sentence += (i == 0 ? "" : "; ") + problems[i];
  if (problems.size() > shown) sentence += "; and " + std::to_string(problems.size() - shown) + " more";
  return Refuse{RefuseCode::missing_feature, sentence};
}

}  // namespace ferry::handshake
