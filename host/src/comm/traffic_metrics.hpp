// The communication layer's counters (docs/operations.md, "Metrics"), looked up once so that the
// connections count with one relaxed atomic add per event.
#pragma once

#include <string>

#include "metrics/registry.hpp"

namespace ferry::comm {

struct TrafficMetrics {
  metrics::Counter& messages_received;  // DATA, PING, PONG and streaming messages, not ACKs or control
  metrics::Counter& messages_sent;      // the same, counting each first write
  metrics::Counter& messages_resent;    // written again on a new connection after the old one was lost
  metrics::Counter& bytes_received;     // encoded bytes, payloads included, after TLS decryption
  metrics::Counter& bytes_sent;         // encoded bytes, payloads included, before TLS encryption
  metrics::Counter& acks_received;
  metrics::Counter& acks_sent;
};

const TrafficMetrics& traffic_metrics();

// Declares the handshake families, so that /metrics lists them before the first handshake.
void declare_handshake_metrics();

// A finished handshake: accepted, or refused with a code (handshake::to_string) by this node or the peer.
void count_handshake_accepted();
void count_handshake_refused(const std::string& code, bool by_peer);

}  // namespace ferry::comm
