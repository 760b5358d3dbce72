#include "comm/communicator.hpp"

#include <utility>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <spdlog/spdlog.h>

#include <future>
#include <map>
#include <optional>
#include <set>

#include "comm/connection.hpp"
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
  // The pause of each reconnect loop whose connection is up, by address: woken when it closes.
  std::map<std::string, asio::steady_timer*> watching;
  bool serving = false;  // set by ready(); before, handshakes are refused with need_wait
  bool stopping = false;

  // --- handshake::HostState, asked on the strand during handshakes ---------------------------------
  handshake::Readiness readiness() const override {
    if (stopping) return handshake::Readiness::stopping;
    return serving ? handshake::Readiness::ready : handshake::Readiness::starting;
  }
  handshake::Progress progress(const handshake::NodeId& peer, uint64_t index) const override {
    const auto it = links.find(LinkKey{handshake::to_string(peer), static_cast<uint32_t>(index)});
    if (it == links.end()) return {};
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

  // Runs the handshake on a freshly opened connection; on success the connection joins its link.
  asio::awaitable<Attempt> handshake_and_attach(std::unique_ptr<Socket> socket, bool initiated, std::string address,
                                                std::optional<handshake::NodeId> expected = std::nullopt) {
    auto self = shared_from_this();
    handshaking.insert(socket.get());
    auto shake = initiated ? handshake::Handshake::initiator(options.local, *this, handshake::random_nonce(),
                                                             {expected, 0})
                           : handshake::Handshake::responder(options.local, *this, handshake::random_nonce());
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

    handshake::Step step = shake.start();
    std::vector<uint8_t> buffer(16u << 10);
    boost::system::error_code error;
    while (true) {
      if (!step.send.empty()) {
        co_await asio::async_write(*socket, asio::buffer(step.send), asio::redirect_error(use_awaitable, error));
        if (error && !step.outcome) step = shake.end_of_stream();
      }
      if (step.outcome) break;
      const size_t n =
          co_await socket->async_read_some(asio::buffer(buffer), asio::redirect_error(use_awaitable, error));
      if (expired)
        step = shake.expire(options.settings.handshake_timeout);
      else if (error)
        step = shake.end_of_stream();
      else
        step = shake.feed({buffer.data(), n});
    }
    deadline.cancel();
    handshaking.erase(socket.get());

    if (auto* refused = std::get_if<handshake::Refused>(&*step.outcome)) {
      std::optional<LinkKey> key;
      if (refused->peer) key = LinkKey{handshake::to_string(refused->peer->id), 0};
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
      link.fail_all("peer '" + link.peer_name + "' restarted; messages sent to its previous run are lost");
      link.incoming.reset();
    }
    link.peer_incarnation = accepted.peer.incarnation;
    link.gone.clear();

    if (link.connection) {
      // A second connection for the same link: the peer reconnected (its old connection is dead to it),
      // or both nodes connected at once. Keep the new one unless this node initiated the existing one
      // and wins the tie-break; both nodes apply the same rule and keep the same connection.
      const bool existing_ours = link.connection->info().initiated;
      const bool keep_existing = existing_ours != initiated && existing_ours == (options.local->id < accepted.peer.id);
      if (keep_existing) return {};  // the socket closes here; the link stays on the winner
      auto old = std::move(link.connection);
      old->close("replaced by a newer connection to the same peer");
    }
    link.outgoing.connection_lost();
    if (!link.outgoing.reconnected(accepted.peer_received))
      return "peer reports " + std::to_string(accepted.peer_received) + " messages received, more than were sent";

    ConnectionInfo info{options.transport->name(), address, handshake::to_string(accepted.agreement.local_codec),
                        mode_name(accepted.agreement.mode), feature_text(*options.local, accepted.agreement.features),
                        initiated};
    ConnectionSettings connection_settings{options.settings.ack_interval, options.settings.max_message_size};
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
    log->info("connected to '{}' ({}) at {} over {}: protocol {} {}, features {}", link.peer_name, link.key.peer_id,
              address, info.transport, info.codec_version, info.mode, info.features);
    if (on_connected)
      on_connected(ConnectionSummary{link.key.peer_id, link.peer_name, address, info.transport, info.codec_version,
                                     info.mode, info.features, initiated});
    return {};
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
    if (connection.info().initiated)
      if (const auto it = watching.find(connection.info().peer_address); it != watching.end()) it->second->cancel();
    log->info("connection to '{}' at {} closed: {}", link.peer_name, connection.info().peer_address, reason);
    if (connection.peer_stopping()) {
      link.gone = "peer '" + link.peer_name + "' stopped";
      link.fail_all(link.gone);
      if (on_departed) on_departed(link.key.peer_id, link.gone);
    }
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

  // Keeps one link to the node at address: connect, handshake, wait for the connection to end, back off,
  // again, until the node stops. After reconnect_attempts failures in a row, what waits for that peer fails.
  asio::awaitable<void> keep_connected(std::string address, std::optional<handshake::NodeId> expected) {
    auto self = shared_from_this();
    uint32_t failures = 0;
    std::optional<LinkKey> key;
    asio::steady_timer pause(strand);
    pauses.insert(&pause);
    const auto sleep = [&](std::chrono::milliseconds duration) -> asio::awaitable<void> {
      pause.expires_after(duration);
      boost::system::error_code ignored;
      co_await pause.async_wait(asio::redirect_error(use_awaitable, ignored));
    };
    while (!stopping) {
      auto [error, socket] = co_await open(address);
      bool permanent = false;
      if (socket) {
        Attempt attempt = co_await handshake_and_attach(std::move(socket), true, address, expected);
        error = std::move(attempt.error);
        permanent = attempt.permanent;
        if (attempt.link && key && attempt.link->peer_id != key->peer_id && links.count(*key))
          links[*key]->fail_all("another node (" + attempt.link->peer_id + ") now answers at " + address +
                                " instead of " + key->peer_id);
        if (attempt.link) key = attempt.link;
      }
      if (error.empty()) {
        failures = 0;
        // Sleep until closed() wakes this loop; the bound only guards against a missed wake-up.
        watching[address] = &pause;
        while (!stopping && key && links.count(*key) && links[*key]->connection) co_await sleep(std::chrono::seconds(1));
        watching.erase(address);
        continue;
      }
      ++failures;
      if (on_failure) on_failure(address, error, permanent);
      log->warn("cannot connect to {} (attempt {}): {}", address, failures, error);
      if (failures == options.settings.reconnect_attempts && key)
        links[*key]->fail_all("could not reconnect to " + address + " after " + std::to_string(failures) +
                                       " attempts: " + error);
      // 100 ms, doubling per failure, capped by max_connect_timeout.
      const auto backoff = std::min<std::chrono::milliseconds>(
          std::chrono::milliseconds(int64_t{100} << std::min<uint32_t>(failures - 1, 16)),
          options.settings.max_connect_timeout);
      co_await sleep(backoff);
    }
    pauses.erase(&pause);
  }
};

Communicator::Communicator(runtime::EventLoop& loop, CommunicatorOptions options)
    : impl_(std::make_shared<Impl>(loop, std::move(options))) {}

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
  asio::post(impl_->strand, [impl = impl_, listener = std::move(listener)]() mutable {
    impl->listeners.push_back(std::move(listener));
  });
  asio::co_spawn(impl_->strand, impl_->accept_loop(socket), log_failure(impl_->log, "accepting on " + address));
  return std::get<std::string>(bound);
}

void Communicator::ready() {
  asio::post(impl_->strand, [impl = impl_] { impl->serving = true; });
}

void Communicator::connect(const std::string& address, std::optional<handshake::NodeId> expected) {
  asio::co_spawn(impl_->strand, impl_->keep_connected(address, expected),
                 log_failure(impl_->log, "connecting to " + address));
}

void Communicator::send(const std::string& peer_id, const protocol::Message& message, Completion completion) {
  if (!completion) completion = [](const SendResult&) {};  // every path below may call it
  auto owned = std::make_shared<OwnedMessage>(OwnedMessage::copy_of(message));
  asio::post(impl_->strand, [impl = impl_, peer_id, owned, completion = std::move(completion)]() mutable {
    if (impl->stopping) return completion(SendResult{false, "this node is stopping"});
    const auto it = impl->links.find(LinkKey{peer_id, 0});
    if (it == impl->links.end()) return completion(SendResult{false, "no connection to peer " + peer_id});
    Link& link = *it->second;
    if (!link.connection && !link.gone.empty()) return completion(SendResult{false, link.gone});
    link.offer(std::move(*owned), std::move(completion));
    if (link.connection) link.connection->wake();
  });
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
      },
      [&done](std::exception_ptr) { done.set_value(); });
  finished.wait();
}

}  // namespace ferry::comm
