#include "node/codec_set.hpp"

namespace ferry::node {

std::variant<CodecSet, std::string> load_codecs(const plugin::Catalog& catalog, std::span<const std::string> names,
                                                runtime::EventLoop* loop) {
  CodecSet set;
  for (const std::string& name : names) {
    const auto library = catalog.find("codec", name);
    if (!library) return "codec '" + name + "' is not loaded";
    auto codec = plugin::CodecInstance::create(library, loop);
    if (auto* failure = std::get_if<plugin::PluginError>(&codec))
      return "codec '" + name + "' could not start: " + failure->message;
    const auto& instance = std::get<0>(codec);
    set.offers.push_back({{instance->version().major, instance->version().minor}, instance->feature_mask()});
    const auto& descriptor = library->descriptor();
    for (size_t i = 0; i < descriptor.feature_count; ++i)
      set.feature_names.push_back({descriptor.features[i].name, descriptor.features[i].bit});
    set.instances.push_back(instance);
  }
  return set;
}

}  // namespace ferry::node
