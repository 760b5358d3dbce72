#include "node/communication_setup.hpp"

#include "handshake/from_config.hpp"
#include "handshake/random.hpp"
#include "node/codec_set.hpp"

namespace ferry::node {

namespace {

// The TLS plugin whose keys [tls] holds (docs/configuration.md).
constexpr std::string_view kTlsPlugin = "openssl";

}  // namespace

std::variant<ProtocolSetup, std::string> prepare_protocol(const config::Config& config, const plugin::Catalog& catalog,
                                                          const handshake::NodeId& id, uint64_t incarnation,
                                                          runtime::EventLoop* loop) {
  auto codecs = load_codecs(catalog, catalog.names("codec"), loop);
  if (auto* failure = std::get_if<std::string>(&codecs)) return *failure;
  CodecSet& set = std::get<CodecSet>(codecs);
  if (set.instances.empty()) return "no codec plugin is loaded, so this node can speak no protocol version";

  auto local =
      handshake::local_node(config, id, incarnation, std::move(set.offers), std::move(set.feature_names));
  if (!local) return local.error().reason;
  return ProtocolSetup{std::move(set.instances), std::make_shared<const handshake::LocalNode>(std::move(local).value())};
}

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

  if (config.tls.enabled) {
    auto library = catalog.find("tls", kTlsPlugin);
    if (!library)
      return "tls.enabled = true, but the TLS plugin '" + std::string(kTlsPlugin) +
             "' is not among the loaded plugins (see `ferry plugins`)";
    auto tls = plugin::TlsInstance::create(std::move(library), plugin::tls_plugin_values(config.tls), &loop);
    if (auto* failure = std::get_if<plugin::PluginError>(&tls)) return "TLS could not start: " + failure->message;
    options.tls = std::get<0>(tls);
    options.tls_required = config.tls.required;
    options.tls_anonymous_clients = !config.tls.require_client_cert;
  }

  auto protocol = prepare_protocol(config, catalog, id, handshake::random_incarnation(), &loop);
  if (auto* failure = std::get_if<std::string>(&protocol)) return *failure;
  auto& setup = std::get<ProtocolSetup>(protocol);
  options.codecs = std::move(setup.codecs);
  options.local = std::move(setup.local);
  return options;
}

}  // namespace ferry::node
