#include "comm/communicator.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <spdlog/spdlog.h>

#include <csignal>
#include <future>
#include <map>
#include <optional>
#include <set>

#include "comm/connection.hpp"
#include "comm/reopen_address.hpp"
#include "comm/send_inbox.hpp"
#include "handshake/handshake.hpp"
#include "handshake/random.hpp"
#include "handshake/text.hpp"
#include "log/logging.hpp"
#include "protocol/messages_v1.hpp"
#include "runtime/event_loop.hpp"

namespace ferry::comm {

namespace asio = boost::asio;
using asio::use_awaitable;
using Socket = asio::posix::stream_descriptor;

namespace {

std::string mode_name(handshake::Mode mode) { return mode == handshake::Mode::stable ? "stable" : "rolling"; }

std::string feature_text(const handshake::LocalNode& local, uint64_t mask) {
  std::string text;
  for (const auto& feature : local.feature_names)
    if (feature.bit < 64 && (mask >> feature.bit) & 1) text += (text.empty() ? "" : ",") + feature.name;
  return text.empty() ? "none" : text;
}

// How one connection attempt ended, for the loop that keeps a configured peer connected.
struct Attempt {
  std::string error;            // empty when this connection, or another one of its link, is up
  std::optional<LinkKey> link;  // the link the peer at the address belongs to, once known
  bool permanent = false;       // a refusal that retrying cannot change
};

}  // namespace

// Completion of a detached coroutine: an exception escaping one is a bug, so it is logged, never dropped.
static auto log_failure(std::shared_ptr<spdlog::logger> log, std::string what) {
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
  Impl(runtime::EventLoop& loop, CommunicatorOptions o)
      : strand(asio::make_strand(loop.context())), options(std::move(o)), log(ferry::log::get("comm")) {}

  Strand strand;
  CommunicatorOptions options;
  std::shared_ptr<spdlog::logger> log;
  MessageHandler on_message;
  ConnectedHandler on_connected;
  FailureHandler on_failure;
  DepartedHandler on_departed;
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
  handshake::Readiness readiness() const override {
    if (stopping) return handshake::Readiness::stopping;
    return serving ? handshake::Readiness::ready : handshake::Readiness::starting;
  }
  handshake::Progress progress(const handshake::NodeId& peer, uint64_t index) const override {
    const LinkKey key{handshake::to_string(peer), static_cast<uint32_t>(index)};
    const auto it = links.find(key);
    if (it == links.end()) return {};
    if (holding) {
      it->second->incoming.hold();
      holding->push_back(key);
    }
    return {it->second->peer_incarnation, it->second->incoming.received()};
  }
  handshake::Existing existing(const handshake::NodeId& peer, uint64_t index) const override {
    const auto it = links.find(LinkKey{handshake::to_string(peer), static_cast<uint32_t>(index)});
    if (it == links.end() || !it->second->connection) return handshake::Existing::none;
    return it->second->connection->info().initiated ? handshake::Existing::ours : handshake::Existing::theirs;
  }

  Link& link_for(const LinkKey& key) {
    auto& slot = links[key];
    if (!slot) {
      const auto& s = options.settings;
      slot = std::make_unique<Link>(key, DeliveryQueue<OwnedMessage>::Limits{s.message_queue_limit, s.unacked_limit},
                                    s.ack_threshold, s.queue_full == "wait");
    }
    return *slot;
  }

  std::shared_ptr<plugin::CodecInstance> codec_for(const handshake::Version& version) const {
    for (const auto& codec : options.codecs)
      if (codec->version().major == version.major && codec->version().minor == version.minor) return codec;
    return nullptr;
  }

  // Releases, when a handshake ends however it ends, the acknowledgements it held back.
  struct HeldAcks {
    Impl& impl;
    std::vector<LinkKey> keys;
    ~HeldAcks() {
      for (const auto& key : keys)
        if (const auto it = impl.links.find(key); it != impl.links.end()) it->second->incoming.release();
    }
  };

  // Runs the handshake on a freshly opened connection; on success the connection joins its link.
  // slot: the connection index an initiator asks for (a responder learns it from the REQUEST).
  // expected: the node that must answer at address, when known.
  asio::awaitable<Attempt> handshake_and_attach(std::unique_ptr<Socket> socket, bool initiated, std::string address,
                                                uint32_t slot = 0, std::optional<handshake::NodeId> expected = {}) {
    auto self = shared_from_this();
    handshaking.insert(socket.get());
    auto shake = initiated ? handshake::Handshake::initiator(options.local, *this, handshake::random_nonce(),
                                                             {expected, slot})
                           : handshake::Handshake::responder(options.local, *this, handshake::random_nonce());
    HeldAcks held{*this, {}};
    const auto advance = [&](auto&& call) {
      holding = &held.keys;
      handshake::Step next = call();
      holding = nullptr;
      return next;
    };
    asio::steady_timer deadline(strand);
    bool expired = false;
    deadline.expires_after(options.settings.handshake_timeout);
    deadline.async_wait([&](const boost::system::error_code& error) {
      if (!error) {
        expired = true;
        boost::system::error_code ignored;
        socket->cancel(ignored);
      }
    });

    handshake::Step step = advance([&] { return shake.start(); });
    std::vector<uint8_t> buffer(16u << 10);
    boost::system::error_code error;
    while (true) {
      if (!step.send.empty()) {
        co_await asio::async_write(*socket, asio::buffer(step.send), asio::redirect_error(use_awaitable, error));
        if (error && !step.outcome) step = advance([&] { return shake.end_of_stream(); });
      }
      if (step.outcome) break;
      const size_t n =
          co_await socket->async_read_some(asio::buffer(buffer), asio::redirect_error(use_awaitable, error));
      if (expired)
        step = advance([&] { return shake.expire(options.settings.handshake_timeout); });
      else if (error)
        step = advance([&] { return shake.end_of_stream(); });
      else
        step = advance([&] { return shake.feed({buffer.data(), n}); });
    }
    deadline.cancel();
    handshaking.erase(socket.get());
    auto* refused = std::get_if<handshake::Refused>(&*step.outcome);
    // stop() cut this handshake short, or it finished after stop() had closed every link: neither the
    // peer nor the network failed, and no link may start now. Refusing a newcomer with node_stopping is
    // the one outcome still worth reporting.
    if (stopping && !(refused && refused->refusal.code == handshake::RefuseCode::node_stopping)) {
      log->debug("handshake with {} abandoned: this node is stopping", address);
      co_return Attempt{"this node is stopping", {}};
    }

    if (refused) {
      std::optional<LinkKey> key;
      if (refused->peer) key = LinkKey{handshake::to_string(refused->peer->id), slot};
      const auto code = refused->refusal.code;
      const std::string who = refused->by == handshake::Side::local ? "refused" : "refused by the peer";
      const std::string sentence =
          "handshake with " + address + " " + who + " (" + handshake::to_string(code) + "): " + refused->refusal.reason;
      // Losing a tie-break means the link is up through the other connection: nothing failed.
      if (code == handshake::RefuseCode::already_connected) {
        log->info("{}", sentence);
        co_return Attempt{{}, key};
      }
      log->warn("{}", sentence);
      // A cut or a malformed frame is the network's doing (protocol_error); the other refusals are decisions.
      co_return Attempt{sentence, key, !handshake::is_transient(code) && code != handshake::RefuseCode::protocol_error};
    }
    auto& accepted = std::get<handshake::Accepted>(*step.outcome);
    const LinkKey key{handshake::to_string(accepted.peer.id), static_cast<uint32_t>(accepted.connection_index)};
    co_return Attempt{attach(std::move(socket), accepted, initiated, address), key};
  }

  // "" when the connection joined its link (or its link kept an equivalent one), else why not.
  std::string attach(std::unique_ptr<Socket> socket, handshake::Accepted& accepted, bool initiated,
                     const std::string& address) {
    const auto codec = codec_for(accepted.agreement.local_codec);
    if (!codec) return "negotiated codec " + handshake::to_string(accepted.agreement.local_codec) + " is not loaded";
    plugin::StreamSettings stream_settings{static_cast<plugin::CodecMode>(accepted.agreement.mode),
                                           accepted.agreement.features, options.settings.max_message_size};
    auto opened = codec->open(stream_settings);
    if (auto* failure = std::get_if<plugin::PluginError>(&opened)) return "codec refused the stream: " + failure->message;

    Link& link = link_for(LinkKey{handshake::to_string(accepted.peer.id), static_cast<uint32_t>(accepted.connection_index)});
    link.peer_name = accepted.peer.name;
    if (link.peer_incarnation != 0 && link.peer_incarnation != accepted.peer.incarnation) {
      fail(link, "peer '" + link.peer_name + "' restarted; messages sent to its previous run are lost");
      link.incoming.reset();
    }
    link.peer_incarnation = accepted.peer.incarnation;
    link.gone.clear();
    link.idle = false;
    if (const auto it = lingering.find(link.key); it != lingering.end()) it->second->cancel();
    if (!initiated && !accepted.peer_listen_address.empty())
      link.reopen_address = reopen_address(accepted.peer_listen_address, address);

    if (link.connection) {
      // A second connection for the same link: the peer reconnected (its old connection is dead to it),
      // or both nodes connected at once. Keep the new one unless this node initiated the existing one
      // and wins the tie-break; both nodes apply the same rule and keep the same connection.
      const bool existing_ours = link.connection->info().initiated;
      const bool keep_existing = existing_ours != initiated && existing_ours == (options.local->id < accepted.peer.id);
      if (keep_existing) return {};  // the socket closes here; the link stays on the winner
      auto old = std::move(link.connection);
      log->info("connection index {} to '{}': a newer connection from {} replaces the one from {}", link.key.index,
                link.peer_name, address, old->info().peer_address);
      old->close("replaced by a newer connection to the same peer");
    }
    link.outgoing.connection_lost();
    if (!link.outgoing.reconnected(accepted.peer_received))
      return "peer reports " + std::to_string(accepted.peer_received) + " messages received, more than were sent";

    const auto local_address = options.transport->local_address(socket->native_handle());
    ConnectionInfo info{options.transport->name(),
                        address,
                        std::holds_alternative<std::string>(local_address) ? std::get<std::string>(local_address) : "",
                        handshake::to_string(accepted.agreement.local_codec),
                        mode_name(accepted.agreement.mode),
                        feature_text(*options.local, accepted.agreement.features),
                        initiated};
    ConnectionSettings connection_settings{options.settings.ack_interval, options.settings.max_message_size};
    connection_settings.idle_timeout = options.settings.idle_timeout;
    connection_settings.may_close_idle = initiated && !options.local->listen_address.empty();
    auto connection = std::make_shared<Connection>(strand, std::move(*socket),
                                                   std::move(std::get<0>(opened)), link, connection_settings, info,
                                                   std::move(accepted.leftover));
    const uint64_t told = accepted.received;
    if (link.incoming.received() > told) connection->skip_repeats(link.incoming.received() - told);
    link.incoming.peer_knows(told);
    link.connection = connection;

    auto self = shared_from_this();
    connection->start(
        [self](Link& l, const protocol::MessageView& message) { self->deliver(l, message); },
        [self](Connection& c, const std::string& reason) { self->closed(c, reason); });
    connection->wake();
    log->info("connected to '{}' ({}) at {} over {}, connection index {}: protocol {} {}, features {}",
              link.peer_name, link.key.peer_id, address, info.transport, link.key.index, info.codec_version, info.mode,
              info.features);
    if (on_connected) on_connected(summary(link, *connection));
    return {};
  }

  static ConnectionSummary summary(const Link& link, const Connection& connection) {
    const ConnectionInfo& info = connection.info();
    return ConnectionSummary{link.key.peer_id, link.peer_name, info.peer_address, info.local_address,
                             link.key.index,   info.transport, info.codec_version, info.mode,
                             info.features,    info.initiated};
  }

  void deliver(Link& link, const protocol::MessageView& message) {
    if (message.type() == FERRY_MSG_NODE_STOPPING) {
      log->info("peer '{}' is stopping: {}", link.peer_name, protocol::v1::read_node_stopping(message).reason);
      return;
    }
    if (message.type() == FERRY_MSG_IDLE_CLOSE) return;
    if (on_message) on_message(link.key.peer_id, message);
  }

  void closed(Connection& connection, const std::string& reason) {
    Link& link = connection.link();
    if (link.connection.get() != &connection) return;  // already replaced; the link moved on
    link.connection.reset();
    link.outgoing.connection_lost();
    link.idle = connection.closed_for_idle() && link.outgoing.idle() && link.parked.empty();
    wake_loops(link.key);
    log->info("connection to '{}' at {} closed: {}", link.peer_name, connection.info().peer_address, reason);
    if (!link.outgoing.idle() || !link.parked.empty()) bring_back(link);
    if (connection.peer_stopping()) {
      link.gone = "peer '" + link.peer_name + "' stopped";
      fail(link, link.gone);
      if (on_departed) on_departed(link.key.peer_id, link.gone);
    }
  }

  // Fails what is pending on the link, saying so in the log when there was something.
  void fail(Link& link, const std::string& reason) {
    const size_t pending = link.outgoing.waiting() + link.outgoing.unacknowledged() + link.parked.size();
    if (pending > 0) log->warn("{} messages to '{}' failed: {}", pending, link.peer_name, reason);
    link.fail_all(reason);
  }

  // Hands every send queued since the last drain to its link, in the order sent. A run of sends to one
  // link (the common case) looks the link up once, and each link's writer is woken once: it cannot run
  // before this handler returns anyway.
  void drain_inbox() {
    SendInbox::Batch& batch = inbox.take();
    std::array<ferry_type_field, protocol::Message::kMaxFields> fields;
    Link* link = nullptr;
    uint32_t link_peer = 0, link_connection = 0;
    for (auto& send : batch.sends) {
      if (!link || send.peer != link_peer || send.options.connection != link_connection) {
        link = link_for_send(batch.peers[send.peer], send.options.connection, send.completion);
        if (!link) continue;
        link_peer = send.peer;
        link_connection = send.options.connection;
      }
      if (!link->connection && !link->gone.empty()) {
        send.completion(SendResult{false, link->gone});
        continue;
      }
      link->offer(OwnedMessage::copy_of(batch.message(send, fields)), std::move(send.completion),
                  std::move(send.options.admitted));
      if (std::find(offered.begin(), offered.end(), link) == offered.end()) offered.push_back(link);
    }
    for (Link* target : offered) {
      if (target->connection)
        target->connection->wake();
      else
        bring_back(*target);
    }
    offered.clear();
  }

  // The link that carries a send to peer_id on connection `connection`, or null after failing
  // completion with the reason none can.
  Link* link_for_send(const std::string& peer_id, uint32_t connection, Completion& completion) {
    if (stopping) {
      completion(SendResult{false, "this node is stopping"});
      return nullptr;
    }
    const uint32_t connections = options.settings.connections_per_peer;
    if (connection >= connections) {
      completion(SendResult{false, "connection " + std::to_string(connection) +
                                       " does not exist: communication.connections_per_peer is " +
                                       std::to_string(connections)});
      return nullptr;
    }
    const Link* known = any_link(peer_id);
    if (!known) {
      completion(SendResult{false, "no connection to peer " + peer_id});
      return nullptr;
    }
    // A link whose connection is not up yet still queues: the message leaves once it is.
    Link& link = link_for(LinkKey{peer_id, slot_for(peer_id, connection)});
    if (link.peer_name.empty()) link.peer_name = known->peer_name;
    return &link;
  }

  void wake_loops(const LinkKey& key) {
    for (auto [it, end] = watching.equal_range(key); it != end; ++it) it->second->cancel();
  }

  // Something waits to be sent on a link without a connection (cut, or closed for idleness). The loop
  // keeping the link reconnects; without one, this node connects to the address the peer gave (checking
  // it reaches that very peer) until reconnect_attempts fail. A peer that gave no address (it does not
  // listen) has as long as its own reconnect loop would try to come back; then what waits fails.
  void bring_back(Link& link) {
    link.idle = false;
    wake_loops(link.key);
    if (looping.count(link.key) || stopping) return;
    if (!link.reopen_address.empty()) {
      log->info("reopening connection index {} to '{}' at {}", link.key.index, link.peer_name, link.reopen_address);
      asio::co_spawn(strand,
                     keep_connected(link.reopen_address, link.key.index, handshake::parse_node_id(link.key.peer_id),
                                    link.key),
                     log_failure(log, "connecting to " + link.reopen_address));
      return;
    }
    if (lingering.count(link.key)) return;
    const auto patience = options.settings.max_connect_timeout * options.settings.reconnect_attempts;
    auto& timer = lingering[link.key] = std::make_unique<asio::steady_timer>(strand, patience);
    timer->async_wait([self = shared_from_this(), key = link.key, patience](const boost::system::error_code& error) {
      self->lingering.erase(key);
      const auto it = self->links.find(key);
      if (error || self->stopping || it == self->links.end() || it->second->connection) return;
      self->fail(*it->second, "peer '" + it->second->peer_name + "' has not connected again within " +
                           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(patience).count()) +
                           " s, and this node cannot reach it (it gave no listen address)");
    });
  }

  // Runs until stop() closes the listener, which it does only after draining: meanwhile new
  // connections are refused with node_stopping rather than by the kernel without a reason.
  asio::awaitable<void> accept_loop(Socket& listener) {
    auto self = shared_from_this();
    while (true) {
      boost::system::error_code error;
      co_await listener.async_wait(Socket::wait_read, asio::redirect_error(use_awaitable, error));
      if (error) co_return;
      for (;;) {
        auto accepted = options.transport->accept(listener.native_handle());
        if (std::holds_alternative<plugin::WouldBlock>(accepted)) break;
        if (auto* failure = std::get_if<plugin::PluginError>(&accepted)) {
          log->warn("accept failed: {}", failure->message);
          break;
        }
        auto& connection = std::get<plugin::AcceptedConnection>(accepted);
        auto socket = std::make_unique<Socket>(strand, connection.fd.release());
        asio::co_spawn(strand, handshake_and_attach(std::move(socket), false, connection.peer),
                       [handler = log_failure(log, "handshake with " + connection.peer)](std::exception_ptr e, Attempt) {
                         handler(e);
                       });
      }
    }
  }

  // Opens a connection to address and waits until it is writable; "" and the socket, or the failure.
  asio::awaitable<std::pair<std::string, std::unique_ptr<Socket>>> open(const std::string& address) {
    auto started = options.transport->connect(address);
    if (auto* failure = std::get_if<plugin::PluginError>(&started)) co_return std::pair{failure->message, nullptr};
    auto& connecting = std::get<plugin::Connecting>(started);
    auto socket = std::make_unique<Socket>(strand, connecting.fd.release());
    if (connecting.in_progress) {
      asio::steady_timer deadline(strand);
      bool expired = false;
      deadline.expires_after(options.settings.connect_timeout);
      deadline.async_wait([&](const boost::system::error_code& e) {
        if (!e) {
          expired = true;
          boost::system::error_code ignored;
          socket->cancel(ignored);
        }
      });
      boost::system::error_code error;
      co_await socket->async_wait(Socket::wait_write, asio::redirect_error(use_awaitable, error));
      deadline.cancel();
      if (expired)
        co_return std::pair{"connecting to " + address + " timed out after " +
                                std::to_string(options.settings.connect_timeout.count()) + " ms",
                            nullptr};
      auto finished = options.transport->connect_finish(socket->native_handle());
      if (auto* failure = std::get_if<plugin::PluginError>(&finished)) co_return std::pair{failure->message, nullptr};
    }
    co_return std::pair{std::string(), std::move(socket)};
  }

  // Keeps connection index `slot` to the node at address: connect, handshake, wait for the connection to
  // end, back off, again, until the node stops. After reconnect_attempts failures in a row, what waits on
  // that link fails. expected: the node that must answer at address, if known (from transport.peers, or
  // the peer itself when this loop reopens a link a peer opened); known: that link, when reopening.
  asio::awaitable<void> keep_connected(std::string address, uint32_t slot, std::optional<handshake::NodeId> expected,
                                       std::optional<LinkKey> known = {}) {
    auto self = shared_from_this();
    uint32_t failures = 0;
    std::optional<LinkKey> key = known;
    if (key) looping.insert(*key);
    asio::steady_timer pause(strand);
    pauses.insert(&pause);
    const auto sleep = [&](std::chrono::milliseconds duration) -> asio::awaitable<void> {
      pause.expires_after(duration);
      boost::system::error_code ignored;
      co_await pause.async_wait(asio::redirect_error(use_awaitable, ignored));
    };
    while (!stopping) {
      auto [error, socket] = co_await open(address);
      if (stopping) break;
      bool permanent = false;
      if (socket) {
        Attempt attempt = co_await handshake_and_attach(std::move(socket), true, address, slot, expected);
        if (stopping) break;
        error = std::move(attempt.error);
        permanent = attempt.permanent;
        if (attempt.link && key && attempt.link->peer_id != key->peer_id && links.count(*key))
          fail(*links[*key], "another node (" + attempt.link->peer_id + ") now answers at " + address +
                                " instead of " + key->peer_id);
        if (attempt.link && !key) looping.insert(*attempt.link);
        if (attempt.link && key && *attempt.link != *key) {
          looping.erase(looping.find(*key));
          looping.insert(*attempt.link);
        }
        if (attempt.link) key = attempt.link;
      }
      if (error.empty()) {
        failures = 0;
        // Sleep while the link is up or idle, until closed() or a send wakes this loop; the bound only
        // guards against a missed wake-up.
        const auto waiting = [&] {
          if (stopping || !key || !links.count(*key)) return false;
          const Link& link = *links[*key];
          return link.connection || link.idle;
        };
        const bool up = waiting();
        if (key) {
          const auto entry = watching.emplace(*key, &pause);
          while (waiting()) co_await sleep(std::chrono::seconds(1));
          watching.erase(entry);
        }
        // Lost a tie-break before the winning connection arrived here: give it a moment rather than spin.
        if (!up) co_await sleep(std::chrono::milliseconds(10));
        continue;
      }
      ++failures;
      if (on_failure) on_failure(address, error, permanent);
      log->warn("cannot connect to {} (attempt {}): {}", address, failures, error);
      if (failures == options.settings.reconnect_attempts && key) {
        fail(*links[*key], "could not reconnect to " + address + " after " + std::to_string(failures) +
                               " attempts: " + error);
        if (known) break;  // a loop this node started to reach a peer that connected to it: that peer is gone
      }
      // 100 ms, doubling per failure, capped by max_connect_timeout.
      const auto backoff = std::min<std::chrono::milliseconds>(
          std::chrono::milliseconds(int64_t{100} << std::min<uint32_t>(failures - 1, 16)),
          options.settings.max_connect_timeout);
      co_await sleep(backoff);
    }
    pauses.erase(&pause);
    if (key) looping.erase(looping.find(*key));
  }
};

Communicator::Communicator(runtime::EventLoop& loop, CommunicatorOptions options)
    : impl_(std::make_shared<Impl>(loop, std::move(options))) {
  // Connections are written with write(2) on stream descriptors: a write after the peer's reset must
  // fail with EPIPE and close that one connection, not end whatever process embeds this node.
  std::signal(SIGPIPE, SIG_IGN);
}

Communicator::~Communicator() = default;

void Communicator::set_handlers(MessageHandler on_message, ConnectedHandler on_connected, FailureHandler on_failure,
                                DepartedHandler on_departed) {
  impl_->on_message = std::move(on_message);
  impl_->on_connected = std::move(on_connected);
  impl_->on_failure = std::move(on_failure);
  impl_->on_departed = std::move(on_departed);
}

std::variant<std::string, plugin::PluginError> Communicator::listen(const std::string& address) {
  auto listened = impl_->options.transport->listen(address);
  if (auto* failure = std::get_if<plugin::PluginError>(&listened)) return *failure;
  auto& fd = std::get<util::UniqueFd>(listened);
  auto bound = impl_->options.transport->local_address(fd.get());
  if (auto* failure = std::get_if<plugin::PluginError>(&bound)) return *failure;
  auto listener = std::make_unique<Socket>(impl_->strand, fd.release());
  Socket& socket = *listener;
  // Handshakes from now on tell peers where this node listens, so that they can reopen idle connections.
  auto local = std::make_shared<handshake::LocalNode>(*impl_->options.local);
  if (local->listen_address.empty()) local->listen_address = std::get<std::string>(bound);
  asio::post(impl_->strand, [impl = impl_, listener = std::move(listener), local = std::move(local)]() mutable {
    impl->listeners.push_back(std::move(listener));
    impl->options.local = std::move(local);
  });
  asio::co_spawn(impl_->strand, impl_->accept_loop(socket), log_failure(impl_->log, "accepting on " + address));
  return std::get<std::string>(bound);
}

void Communicator::ready() {
  asio::post(impl_->strand, [impl = impl_] { impl->serving = true; });
}

void Communicator::connect(const std::string& address, std::optional<handshake::NodeId> expected) {
  for (uint32_t slot = 0; slot < impl_->slots(); ++slot)
    asio::co_spawn(impl_->strand, impl_->keep_connected(address, slot, expected),
                   log_failure(impl_->log, "connecting to " + address));
}

void Communicator::send(const std::string& peer_id, const protocol::Message& message, Completion completion,
                        const SendOptions& send_options) {
  if (!completion) completion = [](const SendResult&) {};  // every path below may call it
  if (impl_->inbox.add(peer_id, message, std::move(completion), send_options))
    asio::post(impl_->strand, [impl = impl_] { impl->drain_inbox(); });
}

std::vector<ConnectionSummary> Communicator::connections() const {
  std::promise<std::vector<ConnectionSummary>> answer;
  auto answered = answer.get_future();
  asio::post(impl_->strand, [impl = impl_, &answer] {
    std::vector<ConnectionSummary> live;
    for (const auto& [key, link] : impl->links)
      if (link->connection) live.push_back(Impl::summary(*link, *link->connection));
    answer.set_value(std::move(live));
  });
  return answered.get();
}

void Communicator::stop(std::chrono::milliseconds drain_timeout) {
  std::promise<void> done;
  auto finished = done.get_future();
  asio::co_spawn(
      impl_->strand,
      [impl = impl_, drain_timeout]() -> asio::awaitable<void> {
        impl->stopping = true;
        boost::system::error_code ignored;
        for (auto* socket : impl->handshaking) socket->cancel(ignored);
        for (auto* pause : impl->pauses) pause->cancel();
        for (auto& [key, timer] : impl->lingering) timer->cancel();
        for (auto& [key, link] : impl->links)
          if (link->connection) link->connection->send_control(protocol::v1::node_stopping("the node is shutting down"));
        // Drain: wait until every link's messages are acknowledged, or the time is up.
        asio::steady_timer pause(impl->strand);
        const auto deadline = std::chrono::steady_clock::now() + drain_timeout;
        const auto drained = [&] {
          for (auto& [key, link] : impl->links)
            if (link->connection && (!link->outgoing.idle() || !link->connection->flushed())) return false;
          return true;
        };
        while (!drained() && std::chrono::steady_clock::now() < deadline) {
          pause.expires_after(std::chrono::milliseconds(10));
          co_await pause.async_wait(use_awaitable);
        }
        for (auto& listener : impl->listeners) listener->close(ignored);
        for (auto* socket : impl->handshaking) socket->cancel(ignored);
        for (auto& [key, link] : impl->links) {
          if (link->connection) link->connection->close("this node is stopping");
          link->fail_all("this node is stopping");
        }
        // Callers free what their handlers reach once stop() returns; coroutines that resume later
        // (handshakes and connections cancelled above) must find nothing to call.
        impl->on_message = nullptr;
        impl->on_connected = nullptr;
        impl->on_failure = nullptr;
        impl->on_departed = nullptr;
      },
      [&done](std::exception_ptr) { done.set_value(); });
  finished.wait();
}

}  // namespace ferry::comm
