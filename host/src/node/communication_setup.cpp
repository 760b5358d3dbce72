#include "node/communication_setup.hpp"

#include "handshake/from_config.hpp"
#include "handshake/random.hpp"
#include "node/codec_set.hpp"

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

  auto codecs = load_codecs(catalog, catalog.names("codec"), &loop);
  if (auto* failure = std::get_if<std::string>(&codecs)) return *failure;
  CodecSet& set = std::get<CodecSet>(codecs);
  options.codecs = std::move(set.instances);
  if (options.codecs.empty()) return "no codec plugin is loaded, so this node can speak no protocol version";

  auto local = handshake::local_node(config, id, handshake::random_incarnation(), std::move(set.offers),
                                     std::move(set.feature_names));
  if (!local) return local.error().reason;
  options.local = std::make_shared<const handshake::LocalNode>(std::move(local).value());
  return options;
}

}  // namespace ferry::node
