// The node's communication layer (PRODUCT.md §4): listens and connects through the transport plugin,
// runs the handshake on every connection, then exchanges acknowledged messages with the negotiated codec.
// Per peer and connection index, messages arrive in order and exactly once across reconnects while both
// processes live, and every send completes once: delivered, or failed with a reason.
//
// Thread safety: every public member may be called from any thread. Internally everything runs on one
// strand of the node's event loop, so link state needs no lock. Handlers run on that strand and must not
// block. Asio stays out of this header.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "comm/delivery_queue.hpp"
#include "comm/payload.hpp"
#include "comm/payload_target.hpp"
#include "config/config.hpp"
#include "handshake/local_node.hpp"
#include "plugin/codec_instance.hpp"
#include "plugin/plugin_error.hpp"
#include "plugin/tls_instance.hpp"
#include "plugin/transport_instance.hpp"
#include "protocol/message.hpp"

namespace ferry::runtime {
class EventLoop;
}

namespace ferry::comm {

// What the handshake settled for a connection, for logs, `ferry ping` and status.
struct ConnectionSummary {
  std::string peer_id, peer_name;
  std::string peer_address, local_address;  // the two ends of the connection, as the transport names them
  uint32_t connection_index = 0;            // with paired_connections, 2i and 2i+1 for connection i
  std::string transport, version, mode, features;
  std::string tls = "none";  // the TLS version and cipher, "TLSv1.3 TLS_AES_256_GCM_SHA384", or "none"
  bool initiated = false;
  // The link's queue when the summary was taken: messages waiting to be written (including those waiting
  // for room in the queue), and messages written but not yet acknowledged.
  uint64_t queued = 0, unacknowledged = 0;
  // File chunks leave with sendfile (communication.sendfile); otherwise the bytes read for their checks do.
  bool sendfile = false;
};

struct SendOptions {
  // Which of the communication.connections_per_peer connections carries the message. Messages given the
  // same connection arrive in the order sent; across connections there is no order.
  uint32_t connection = 0;
  // Called once, on the strand, when the message enters the link's bounded queue (at once when there is
  // room; in order as room frees when it had to wait), and never for a message that fails before. A
  // producer that keeps at most communication.message_queue_limit messages unadmitted (admitted, or
  // failed, counts as done) is held back by a stalled peer and never refused (docs/protocol.md §3.4).
  std::function<void()> admitted{};
};

struct CommunicatorOptions {
  std::shared_ptr<const handshake::LocalNode> local;
  config::CommunicationSection settings;
  std::shared_ptr<plugin::TransportInstance> transport;
  std::vector<std::shared_ptr<plugin::CodecInstance>> codecs;
  // TLS between the transport and the node handshake ([tls]); null: every connection is in the clear.
  // With TLS, this node's connections use it and a peer's certificate must name the node it claims.
  std::shared_ptr<plugin::TlsInstance> tls;
  bool tls_required = false;          // refuse peers that connect in the clear (else accept them so)
  bool tls_anonymous_clients = false;  // tls.require_client_cert = false: a client may show no certificate
};

class Communicator {
 public:
  // DATA, PING and PONG messages from a peer (counted and acknowledged by the layer).
  using MessageHandler = std::function<void(const std::string& peer_id, const protocol::MessageView& message)>;
  using ConnectedHandler = std::function<void(const ConnectionSummary& connection)>;
  // A connection attempt to an address failed or was refused; reason says why. permanent: the peer or
  // this node refused for a reason retrying cannot change (another cluster, settings that differ, ...).
  using FailureHandler = std::function<void(const std::string& address, const std::string& reason, bool permanent)>;

  Communicator(runtime::EventLoop& loop, CommunicatorOptions options);
  ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  // A peer said it was stopping and its connection has closed; what was pending for it has failed.
  using DepartedHandler = std::function<void(const std::string& peer_id, const std::string& reason)>;

  // Set before listen() and connect().
  void set_handlers(MessageHandler on_message, ConnectedHandler on_connected, FailureHandler on_failure,
                    DepartedHandler on_departed = {});

  // Streaming messages (types 16..25), counted and acknowledged like DATA. `link` is the connection index
  // they came on: a STREAM_CHUNK's payload follows on that link, piece by piece (each piece valid only
  // during the call), before the link's next message. A payload cut short by a lost connection is sent
  // again whole, after its message, on the next connection: the handler drops the part it had.
  using StreamMessageHandler =
      std::function<void(const std::string& peer_id, uint32_t link, const protocol::MessageView& message)>;
  using PayloadHandler =
      std::function<void(const std::string& peer_id, uint32_t link, std::span<const uint8_t> piece)>;
  // Where the rest of the link's current payload may be read to (stable mode): its pieces then reach
  // on_payload where they lie in that memory. Asked on the strand, between on_message and the pieces.
  using PayloadTargetHandler = std::function<PayloadTarget(const std::string& peer_id, uint32_t link)>;
  // Set before listen() and connect().
  void set_stream_handlers(StreamMessageHandler on_message, PayloadHandler on_payload,
                           PayloadTargetHandler payload_target = {});
  // While may_read answers false (asked on the strand before each message and payload piece), connections
  // read nothing: a receiver whose sink falls behind holds back its senders through acknowledgements
  // instead of buffering. It polls, so may_read must be cheap and thread-safe.
  void set_read_gate(std::function<bool()> may_read);

  // Starts accepting at address; returns the address actually bound (port 0 resolved) or the error.
  // Until ready() is called, every handshake is refused with need_wait: peers retry shortly.
  std::variant<std::string, plugin::PluginError> listen(const std::string& address);
  // The node has finished starting (its sinks are open): handshakes are now answered on their merits.
  void ready();
  // Keeps every connection (communication.connections_per_peer, each direction apart with
  // paired_connections) to the node at address, reconnecting with backoff. With an expected id, another
  // node answering there is refused (wrong_node); without, any node will do.
  void connect(const std::string& address, std::optional<handshake::NodeId> expected = std::nullopt);
  // Queues message for the peer; completion (may be empty) is called exactly once, on the strand. With a
  // full queue (communication.message_queue_limit) the message waits for room or, with
  // communication.queue_full = "error", fails at once with SendResult::queue_full set.
  void send(const std::string& peer_id, const protocol::Message& message, Completion completion,
            const SendOptions& options = {});
  // The same, for a message followed by a payload of message.payload_length() bytes (a STREAM_CHUNK). The
  // queued message owns the payload until the peer acknowledged it, so that it can be written again after a
  // reconnect: a producer bounds its own memory by how many payloads it has not seen completed.
  void send(const std::string& peer_id, const protocol::Message& message, Payload payload,
            Completion completion, const SendOptions& options = {});
  // New connections negotiate with these codecs and this view of the node from now on (a reload); live
  // connections, and handshakes already under way, keep what they started with. The listen address a
  // handshake advertises is kept.
  void update_protocol(std::vector<std::shared_ptr<plugin::CodecInstance>> codecs,
                       std::shared_ptr<const handshake::LocalNode> local);
  // The live connections, for status and tests. Waits for the strand: never call it from a handler.
  std::vector<ConnectionSummary> connections() const;
  // Tells every peer this node is stopping, lets acknowledgements drain (up to drain_timeout), closes
  // every connection and fails what is still pending with "this node is stopping". Blocks until done.
  // While it drains, the node still accepts connections, to refuse them with node_stopping.
  // Once it returns, no handler set with set_handlers is called again.
  void stop(std::chrono::milliseconds drain_timeout);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace ferry::comm
