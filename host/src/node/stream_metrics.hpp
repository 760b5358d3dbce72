// The streaming sessions' counters (docs/operations.md, "Metrics"), looked up once.
#pragma once

#include "metrics/registry.hpp"

namespace ferry::node {

struct StreamMetrics {
  metrics::Counter& bytes_sent;            // chunk bytes the peer acknowledged
  metrics::Counter& bytes_received;        // chunk bytes that arrived
  metrics::Counter& retries_asked;         // this node asked a peer to send a file again
  metrics::Counter& retries_asked_by_peer; // a peer asked this node to send a file again
};

const StreamMetrics& stream_metrics();

}  // namespace ferry::node
