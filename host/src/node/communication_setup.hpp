// Builds what the communication layer needs from a validated configuration and the loaded plugins: the
// transport instance, the TLS instance when [tls] enables it, one instance of every loaded codec, and the
// handshake's view of this node.
// Shared by `ferry node` (at start and on every reload) and the transient node of `ferry ping`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "comm/communicator.hpp"
#include "handshake/frames.hpp"
#include "handshake/local_node.hpp"
#include "node/sink_setup.hpp"

namespace ferry::runtime {
class EventLoop;
}

namespace ferry::node {

// What new connections negotiate with: the codecs the node offers and the handshake's view of the node
// ([protocol] of the configuration included). A reload replaces both at once.
struct ProtocolSetup {
  std::vector<std::shared_ptr<plugin::CodecInstance>> codecs;
  std::shared_ptr<const handshake::LocalNode> local;
};

// The setup, or the sentence saying which codec refused to start, or why none can be offered.
// loop may be null where nothing will run (tests).
std::variant<ProtocolSetup, std::string> prepare_protocol(const config::Config& config, const plugin::Catalog& catalog,
                                                          const handshake::NodeId& id, uint64_t incarnation,
                                                          runtime::EventLoop* loop);

// The options, or the sentence saying which plugin refused to start and why.
std::variant<comm::CommunicatorOptions, std::string> prepare_communication(const config::Config& config,
                                                                           const plugin::Catalog& catalog,
                                                                           const ResolvedTransport& transport,
                                                                           const handshake::NodeId& id,
                                                                           runtime::EventLoop& loop);

}  // namespace ferry::node
