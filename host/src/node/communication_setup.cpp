#include "node/communication_setup.hpp"

#include "handshake/from_config.hpp"
#include "handshake/random.hpp"

namespace ferry::node {

std::variant<comm::CommunicatorOptions, std::string> prepare_communication(const config::Config& config,
                                                                           const plugin::Catalog& catalog,
                                                                           const ResolvedTransport& transport,
                                                                           const handshake::NodeId& id,
                                                                           runtime::EventLoop& loop) {
  comm::CommunicatorOptions options;
  options.settings = config.communication;

  auto created = plugin::TransportInstance::create(transport.library, transport.values, &loop);
  if (auto* failure = std::get_if<plugin::PluginError>(&created))
    return "transport '" + config.transport.plugin + "' could not start: " + failure->message;
  options.transport = std::get<0>(created);

  std::vector<handshake::CodecOffer> offers;
  std::vector<handshake::FeatureName> feature_names;
  for (const auto& name : catalog.names("codec")) {
    const auto library = catalog.find("codec", name);
    auto codec = plugin::CodecInstance::create(library, &loop);
    if (auto* failure = std::get_if<plugin::PluginError>(&codec))
      return "codec '" + name + "' could not start: " + failure->message;
    const auto& instance = std::get<0>(codec);
    offers.push_back({{instance->version().major, instance->version().minor}, instance->feature_mask()});
    const auto& descriptor = library->descriptor();
    for (size_t i = 0; i < descriptor.feature_count; ++i)
      feature_names.push_back({descriptor.features[i].name, descriptor.features[i].bit});
    options.codecs.push_back(instance);
  }
  if (options.codecs.empty()) return "no codec plugin is loaded, so this node can speak no protocol version";

  auto local = handshake::local_node(config, id, handshake::random_incarnation(), std::move(offers),
                                     std::move(feature_names));
  if (!local) return local.error().reason;
  options.local = std::make_shared<const handshake::LocalNode>(std::move(local).value());
  return options;
}

}  // namespace ferry::node
