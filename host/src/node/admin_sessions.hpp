// POST /v1/sessions: the node starts a session to the node at an address and sends it files, as
// `ferry send --to ADDR PATH...` does from a transient node. The node connects to that address the way
// it connects to transport.peers, and keeps the connection (idle_timeout closes it when unused).
//
// Thread safety: the returned function runs on the admin thread, one request at a time; it blocks that
// thread while it waits for the connection.
#pragma once

#include <chrono>

#include "admin/node_api.hpp"
#include "comm/communicator.hpp"
#include "node/stream_service.hpp"

namespace ferry::node {

// wait: how long to wait for a connection to the address before answering 504.
admin::SessionStart session_starter(comm::Communicator& communicator, StreamService& streams,
                                    std::chrono::milliseconds wait);

}  // namespace ferry::node
