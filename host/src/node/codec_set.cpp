#include "node/codec_set.hpp"

namespace ferry::node {

std::optional<std::string> merge_feature_names(std::vector<handshake::FeatureName>& names,
                                               std::span<const ferry_type_feature> declared, const std::string& codec) {
  for (const ferry_type_feature& feature : declared) {
    const std::string name = feature.name;
    bool known = false;
    for (const handshake::FeatureName& seen : names) {
      if (seen.name == name && seen.bit == feature.bit) known = true;
      else if (seen.name == name || seen.bit == feature.bit)
        return "codec '" + codec + "' declares feature '" + name + "' as bit " + std::to_string(feature.bit) +
               ", but another loaded codec declares '" + seen.name + "' as bit " + std::to_string(seen.bit) +
               "; a feature has one name and one bit in every codec";
    }
    if (!known) names.push_back({name, feature.bit});
  }
  return std::nullopt;
}

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
    if (auto conflict = merge_feature_names(
            set.feature_names, std::span<const ferry_type_feature>(descriptor.features, descriptor.feature_count), name))
      return *conflict;
    set.instances.push_back(instance);
  }
  return set;
}

}  // namespace ferry::node
