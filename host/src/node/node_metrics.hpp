// The metrics read from the node's live state when /metrics is rendered (docs/operations.md, "Metrics"):
// open connections by transport, queue depths, sessions by state, and build information.
#pragma once

#include <cstdint>

#include "comm/communicator.hpp"
#include "node/stream_service.hpp"

namespace ferry::node {

// Registers the collectors for as long as it lives; communicator and streams must outlive it.
class NodeMetrics {
 public:
  NodeMetrics(const comm::Communicator& communicator, const StreamService& streams);
  ~NodeMetrics();
  NodeMetrics(const NodeMetrics&) = delete;
  NodeMetrics& operator=(const NodeMetrics&) = delete;

 private:
  uint64_t collector_ = 0;
};

}  // namespace ferry::node
