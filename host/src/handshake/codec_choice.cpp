#include "handshake/codec_choice.hpp"

#include <algorithm>

#include "handshake/text.hpp"

namespace ferry::handshake {
namespace {

// The highest offer whose version satisfies `fits`, if any.
template <typename Fits>
const CodecOffer* highest(std::span<const CodecOffer> offers, Fits fits) {
  const CodecOffer* best = nullptr;
  for (const CodecOffer& offer : offers)
    if (fits(offer.version) && (!best || offer.version > best->version)) best = &offer;
  return best;
}

bool offers_version(std::span<const CodecOffer> offers, Version version) {
  return std::any_of(offers.begin(), offers.end(), [&](const CodecOffer& offer) { return offer.version == version; });
}

bool offers_major(std::span<const CodecOffer> offers, uint16_t major) {
  return std::any_of(offers.begin(), offers.end(),
                     [&](const CodecOffer& offer) { return offer.version.major == major; });
}

}  // namespace

std::vector<CodecOffer> offers_within(std::span<const CodecOffer> offers, std::optional<Version> max) {
  std::vector<CodecOffer> kept;
  for (const CodecOffer& offer : offers)
    if (!max || offer.version <= *max) kept.push_back(offer);
  return kept;
}

std::variant<CodecChoice, Refuse> choose_codec(std::span<const CodecOffer> local_offers,
                                               std::span<const CodecOffer> peer, std::optional<Version> local_max) {
  const std::vector<CodecOffer> local = offers_within(local_offers, local_max);

  const CodecOffer* common = highest(local, [&](Version v) { return offers_version(peer, v); });
  if (common) {
    const CodecOffer* theirs = highest(peer, [&](Version v) { return v == common->version; });
    return CodecChoice{common->version, common->version, Mode::stable, common->features, theirs->features};
  }

  const CodecOffer* shared = highest(local, [&](Version v) { return offers_major(peer, v.major); });
  if (shared) {
    const uint16_t major = shared->version.major;
    const CodecOffer* theirs = highest(peer, [&](Version v) { return v.major == major; });
    return CodecChoice{shared->version, theirs->version, Mode::rolling, shared->features, theirs->features};
  }

  std::string local_text = list_versions(local);
  if (local.size() < local_offers.size()) {
    std::vector<CodecOffer> left_out;
    for (const CodecOffer& offer : local_offers)
      if (!offers_version(local, offer.version)) left_out.push_back(offer);
    local_text += " (" + list_versions(left_out) + " left out by protocol.max_version " + to_string(*local_max) + ")";
  }
  return Refuse{RefuseCode::no_common_codec,
                "no common codec major: local offers " + local_text + "; peer offers " + list_versions(peer)};
}

}  // namespace ferry::handshake
