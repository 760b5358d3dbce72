// The shared state of a Communicator and the members that work on it. Private to the communicator's
// own translation units (it includes Asio): communicator.cpp holds the public API, sends, deliveries
// and closes; communicator_handshake.cpp drives the handshake and attaches connections to links, with
// communicator_tls.cpp running TLS under it;
// communicator_reconnect.cpp keeps configured peers connected and brings back links with pending
// messages. Everything here runs on the strand.
#pragma once

#include <utility>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <spdlog/spdlog.h>

#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "comm/channel.hpp"
#include "comm/communicator.hpp"
#include "comm/connection.hpp"
#include "comm/link.hpp"
#include "comm/send_inbox.hpp"
#include "handshake/handshake.hpp"
#include "handshake/local_node.hpp"
#include "handshake/text.hpp"

namespace ferry::comm {

namespace asio = boost::asio;

// How one connection attempt ended, for the loop that keeps a configured peer connected.
struct Attempt {
  std::string error;            // empty when this connection, or another one of its link, is up
  std::optional<LinkKey> link;  // the link the peer at the address belongs to, once known
  bool permanent = false;       // a refusal that retrying cannot change
};

// Completion of a detached coroutine: an exception escaping one is a bug, so it is logged, never dropped.
inline auto log_failure(std::shared_ptr<spdlog::logger> log, std::string what) {
  return [log = std::move(log), what = std::move(what)](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      log->error("{} ended by an exception: {}", what, e.what());
    }
  };
}

struct Communicator::Impl : handshake::HostState, std::enable_shared_from_this<Impl> {
  Impl(runtime::EventLoop& loop, CommunicatorOptions o);

  Strand strand;
  CommunicatorOptions options;
  std::shared_ptr<spdlog::logger> log;
  MessageHandler on_message;
  ConnectedHandler on_connected;
  FailureHandler on_failure;
  DepartedHandler on_departed;
  StreamMessageHandler on_stream_message;
  PayloadHandler on_payload;
  PayloadTargetHandler on_payload_target;
  std::function<bool()> may_read;  // the read gate (set_read_gate); empty: always
  std::map<LinkKey, std::unique_ptr<Link>> links;
  std::vector<std::unique_ptr<Socket>> listeners;
  // What stop() must interrupt: sockets still in their handshake and the pauses of reconnect loops.
  std::set<Socket*> handshaking;
  std::set<asio::steady_timer*> pauses;
  // The pauses of the reconnect loops waiting on a link (its connection is up, or idle): woken when the
  // connection closes or a message for an idle link arrives.
  std::multimap<LinkKey, asio::steady_timer*> watching;
  // The links some reconnect loop keeps.
  std::multiset<LinkKey> looping;
  // Links with messages pending, no connection, no loop and no address to reach the peer at: the time
  // left for the peer to connect again before they fail.
  std::map<LinkKey, std::unique_ptr<asio::steady_timer>> lingering;
  // The links whose acknowledgements the handshake being advanced holds back (ReceiveCounter::hold);
  // set only while a Handshake call runs, which asks progress() synchronously.
  std::vector<LinkKey>* holding = nullptr;
  bool serving = false;  // set by ready(); before, handshakes are refused with need_wait
  bool stopping = false;
  SendInbox inbox;
  std::vector<Link*> offered;  // drain_inbox's: the links it gave messages to, each once
  unsigned reading = 0;         // connections handing over what a read brought (Connection::ReadPhase)
  bool drain_deferred = false;  // their handlers sent: drain once the last has handed over

  // Connection indexes per peer: connections_per_peer, or twice that when each direction has its own.
  uint32_t slots() const {
    return options.settings.connections_per_peer * (options.settings.paired_connections ? 2 : 1);
  }
  // The index whose link carries this node's messages on connection `connection` to the peer. Paired,
  // index 2i carries the lower node id's messages and 2i+1 the higher's (the text form sorts like the bytes).
  uint32_t slot_for(const std::string& peer_id, uint32_t connection) const {
    if (!options.settings.paired_connections) return connection;
    return 2 * connection + (handshake::to_string(options.local->id) < peer_id ? 0 : 1);
  }
  // Any link of the peer, or null when this node has never completed a handshake with it.
  Link* any_link(const std::string& peer_id) const {
    const auto it = links.lower_bound(LinkKey{peer_id, 0});
    return it != links.end() && it->first.peer_id == peer_id ? it->second.get() : nullptr;
  }

  // --- handshake::HostState, asked on the strand during handshakes ---------------------------------
  handshake::Readiness readiness() const override;
  handshake::Progress progress(const handshake::NodeId& peer, uint64_t index) const override;
  handshake::Existing existing(const handshake::NodeId& peer, uint64_t index) const override;

  Link& link_for(const LinkKey& key);
  static ConnectionSummary summary(const Link& link, const Connection& connection);
  void deliver(Link& link, const protocol::MessageView& message);
  void deliver_payload(Link& link, std::span<const uint8_t> piece) {
    if (on_payload) on_payload(link.key.peer_id, link.key.index, piece);
  }
  PayloadTarget payload_target(Link& link) {
    return on_payload_target ? on_payload_target(link.key.peer_id, link.key.index) : PayloadTarget{};
  }
  void closed(Connection& connection, const std::string& reason);
  // Fails what is pending on the link, saying so in the log when there was something.
  void fail(Link& link, const std::string& reason);
  // Hands every send queued since the last drain to its link, in the order sent. A run of sends to one
  // link (the common case) looks the link up once, and each link's writer is woken once: it cannot run
  // before this handler returns anyway.
  void drain_inbox();
  // After a send was added to the inbox as its first: posts the drain, or, when a handler on the strand
  // sent it while a connection hands over a read, leaves it to that hand-over's end (reading_changed),
  // so that a reply leaves with the write that follows the read instead of a dispatch later.
  void schedule_drain();
  void reading_changed(bool handling);
  // The link that carries a send to peer_id on connection `connection`, or null after failing
  // completion with the reason none can.
  Link* link_for_send(const std::string& peer_id, uint32_t connection, Completion& completion);
  void wake_loops(const LinkKey& key);
  // Runs until stop() closes the listener, which it does only after draining: meanwhile new
  // connections are refused with node_stopping rather than by the kernel without a reason.
  asio::awaitable<void> accept_loop(Socket& listener);

  // --- communicator_handshake.cpp -------------------------------------------------------------------
  // Runs the handshake on a freshly opened connection; on success the connection joins its link.
  // slot: the connection index an initiator asks for (a responder learns it from the REQUEST).
  // expected: the node that must answer at address, when known.
  asio::awaitable<Attempt> handshake_and_attach(std::unique_ptr<Socket> socket, bool initiated, std::string address,
                                                uint32_t slot = 0, std::optional<handshake::NodeId> expected = {});
  // "" when the connection joined its link (or its link kept an equivalent one), else why not.
  // codecs: those the handshake started with (a reload may have replaced options.codecs since).
  using Codecs = std::vector<std::shared_ptr<plugin::CodecInstance>>;
  std::string attach(Channel channel, handshake::Accepted& accepted, bool initiated, const std::string& address,
                     const Codecs& codecs);
  static std::shared_ptr<plugin::CodecInstance> codec_for(const Codecs& codecs, const handshake::Version& version);
  struct HeldAcks;  // the acknowledgements a handshake holds back

  // --- communicator_tls.cpp -------------------------------------------------------------------------
  struct TlsOutcome {
    std::string failure;  // why the connection cannot go on; "" when the node handshake may start
    handshake::RefuseCode code = handshake::RefuseCode::tls_failed;
    bool tell_peer = false;            // the refusal may go to the peer in a REFUSE frame (it is in the clear)
    std::vector<uint8_t> clear_bytes;  // what a peer in the clear sent first: node handshake bytes
  };
  // Runs TLS on a fresh connection (options.tls is set). A responder first finds out whether the peer
  // speaks TLS; one in the clear is refused with tls.required, else left in the clear.
  asio::awaitable<TlsOutcome> secure(Channel& channel, bool initiated);
  // The check that the peer's certificate names the node it claims (by name or id). The channel must
  // outlive the handshake that uses it.
  handshake::Handshake::IdentityCheck identity_check(Channel& channel, bool initiated) const;
  struct HandshakeRead {
    size_t bytes = 0;  // 0: the connection closed, failed or was cancelled
    std::string tls_failure;
  };
  asio::awaitable<HandshakeRead> read_some(Channel& channel, std::span<uint8_t> buffer);
  // False when the connection failed.
  asio::awaitable<bool> write_all(Channel& channel, std::span<const uint8_t> bytes);

  // --- communicator_reconnect.cpp -------------------------------------------------------------------
  // Something waits to be sent on a link without a connection (cut, or closed for idleness). The loop
  // keeping the link reconnects; without one, this node connects to the address the peer gave (checking
  // it reaches that very peer) until reconnect_attempts fail. A peer that gave no address (it does not
  // listen) has as long as its own reconnect loop would try to come back; then what waits fails.
  void bring_back(Link& link);
  // Opens a connection to address and waits until it is writable; "" and the socket, or the failure.
  asio::awaitable<std::pair<std::string, std::unique_ptr<Socket>>> open(const std::string& address);
  // Keeps connection index `slot` to the node at address: connect, handshake, wait for the connection to
  // end, back off, again, until the node stops. After reconnect_attempts failures in a row, what waits on
  // that link fails. expected: the node that must answer at address, if known (from transport.peers, or
  // the peer itself when this loop reopens a link a peer opened); known: that link, when reopening.
  asio::awaitable<void> keep_connected(std::string address, uint32_t slot, std::optional<handshake::NodeId> expected,
                                       std::optional<LinkKey> known = {});
};

}  // namespace ferry::comm
