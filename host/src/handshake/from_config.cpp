#include "handshake/from_config.hpp"

#include <string>

#include "handshake/secret_proof.hpp"
#include "handshake/text.hpp"

namespace ferry::handshake {

std::vector<Setting> must_agree_settings(const config::CommunicationSection& communication) {
  return {
      {"connections_per_peer", std::to_string(communication.connections_per_peer)},
      {"paired_connections", communication.paired_connections ? "true" : "false"},
      {"max_message_size", std::to_string(communication.max_message_size)},
      {"checksum", communication.checksum},
  };
}

Result<LocalNode> local_node(const config::Config& config, const NodeId& id, uint64_t incarnation,
                             std::vector<CodecOffer> codecs, std::vector<FeatureName> feature_names) {
  std::optional<Version> max_version;
  if (!config.protocol.max_version.empty()) {
    max_version = parse_version(config.protocol.max_version);
    if (!max_version)
      return Error{"protocol.max_version: expected \"MAJOR.MINOR\", got " + in_quotes(config.protocol.max_version)};
  }
  std::vector<uint8_t> secret;
  if (!config.communication.cluster_secret_file.empty()) {
    auto read = read_cluster_secret(config.communication.cluster_secret_file);
    if (!read) return read.error();
    secret = std::move(read).value();
  }
  return LocalNode{id,
                   config.node.name,
                   config.node.cluster,
                   incarnation,
                   must_agree_settings(config.communication),
                   std::move(codecs),
                   max_version,
                   std::move(feature_names),
                   {config.protocol.require_features, config.protocol.disable_features},
                   config.communication.allowed_nodes,
                   uint64_t{config.communication.connections_per_peer} *
                       (config.communication.paired_connections ? 2 : 1),
                   {},
                   std::move(secret)};
}

}  // namespace ferry::handshake
