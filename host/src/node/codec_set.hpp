// The codecs a node offers in its handshakes, taken from the codec plugins actually loaded: one instance of
// each, its version and feature mask, and the names of the feature bits the plugins declare. Negotiation
// (handshake/codec_choice) then works on exactly what the node can speak.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "handshake/features.hpp"
#include "handshake/frames.hpp"
#include "plugin/catalog.hpp"
#include "plugin/codec_instance.hpp"

namespace ferry::runtime {
class EventLoop;
}

namespace ferry::node {

struct CodecSet {
  std::vector<std::shared_ptr<plugin::CodecInstance>> instances;
  std::vector<handshake::CodecOffer> offers;  // one per instance, in the same order
  std::vector<handshake::FeatureName> feature_names;  // each name once
};

// Adds the features one codec declares to the names known so far. Codecs of different versions declare the
// same feature under the same name and bit, which is kept once; a name on another bit, or a bit under another
// name, would make the handshake ambiguous, so it is refused with a sentence naming both.
std::optional<std::string> merge_feature_names(std::vector<handshake::FeatureName>& names,
                                               std::span<const ferry_type_feature> declared, const std::string& codec);

// Instances of the named codec plugins of catalog, or the sentence naming the one that refused to start or
// declares a feature that contradicts another codec's.
// loop may be null where nothing will run (tests).
std::variant<CodecSet, std::string> load_codecs(const plugin::Catalog& catalog, std::span<const std::string> names,
                                                runtime::EventLoop* loop);

}  // namespace ferry::node
