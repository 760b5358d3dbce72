// Builds what the communication layer needs from a validated configuration and the loaded plugins: the
// transport instance, one instance of every loaded codec, and the handshake's view of this node.
// Shared by `ferry node` and the transient node of `ferry ping`.
#pragma once

#include <string>
#include <variant>

#include "comm/communicator.hpp"
#include "handshake/frames.hpp"
#include "node/sink_setup.hpp"

namespace ferry::runtime {
class EventLoop;
}

namespace ferry::node {

// The options, or the sentence saying which plugin refused to start and why.
std::variant<comm::CommunicatorOptions, std::string> prepare_communication(const config::Config& config,
                                                                           const plugin::Catalog& catalog,
                                                                           const ResolvedTransport& transport,
                                                                           const handshake::NodeId& id,
                                                                           runtime::EventLoop& loop);

}  // namespace ferry::node
