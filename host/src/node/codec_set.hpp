// The codecs a node offers in its handshakes, taken from the codec plugins actually loaded: one instance of
// each, its version and feature mask, and the names of the feature bits the plugins declare. Negotiation
// (handshake/codec_choice) then works on exactly what the node can speak.
#pragma once

#include <memory>
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
  std::vector<handshake::FeatureName> feature_names;
};

// Instances of the named codec plugins of catalog, or the sentence naming the one that refused to start.
// loop may be null where nothing will run (tests).
std::variant<CodecSet, std::string> load_codecs(const plugin::Catalog& catalog, std::span<const std::string> names,
                                                runtime::EventLoop* loop);

}  // namespace ferry::node
