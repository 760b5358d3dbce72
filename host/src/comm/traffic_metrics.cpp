#include "comm/traffic_metrics.hpp"

namespace ferry::comm {
namespace {

metrics::Counter& direction(const char* name, const char* help, const char* value) {
  return metrics::registry().counter(name, help, {{"direction", value}});
}

constexpr const char* kMessagesHelp =
    "Messages exchanged with peers (data, ping, pong and streaming; not acknowledgements or control)";
constexpr const char* kBytesHelp = "Codec-encoded bytes exchanged with peers, payloads included, inside TLS";
constexpr const char* kAcksHelp = "Acknowledgements exchanged with peers";
constexpr const char* kHandshakesHelp = "Finished handshakes by outcome";
constexpr const char* kRefusalsHelp = "Refused handshakes by refusal code and by which side refused";

}  // namespace

const TrafficMetrics& traffic_metrics() {
  static const TrafficMetrics instance{
      direction("messages", kMessagesHelp, "received"),
      direction("messages", kMessagesHelp, "sent"),
      metrics::registry().counter("messages_resent",
                                  "Messages written again on a new connection after the previous one was lost"),
      direction("bytes", kBytesHelp, "received"),
      direction("bytes", kBytesHelp, "sent"),
      direction("acks", kAcksHelp, "received"),
      direction("acks", kAcksHelp, "sent"),
  };
  return instance;
}

void declare_handshake_metrics() {
  metrics::registry().counter("handshakes", kHandshakesHelp, {{"outcome", "accepted"}});
  metrics::registry().counter("handshakes", kHandshakesHelp, {{"outcome", "refused"}});
  metrics::registry().describe("handshake_refusals", kRefusalsHelp, metrics::Type::counter);
}

void count_handshake_accepted() {
  metrics::registry().counter("handshakes", kHandshakesHelp, {{"outcome", "accepted"}}).add();
}

void count_handshake_refused(const std::string& code, bool by_peer) {
  metrics::registry().counter("handshakes", kHandshakesHelp, {{"outcome", "refused"}}).add();
  metrics::registry()
      .counter("handshake_refusals", kRefusalsHelp, {{"reason", code}, {"by", by_peer ? "peer" : "local"}})
      .add();
}

}  // namespace ferry::comm
