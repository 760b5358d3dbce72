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

#include <csignal>
#include <future>

#include "comm/communicator_impl.hpp"
#include "log/logging.hpp"
#include "protocol/messages_stream.hpp"
#include "protocol/messages_v1.hpp"
#include "runtime/event_loop.hpp"

namespace ferry::comm {

using asio::use_awaitable;

Communicator::Impl::Impl(runtime::EventLoop& loop, CommunicatorOptions o)
    : strand(asio::make_strand(loop.context())), options(std::move(o)), log(ferry::log::get("comm")) {}

handshake::Readiness Communicator::Impl::readiness() const {
  if (stopping) return handshake::Readiness::stopping;
  return serving ? handshake::Readiness::ready : handshake::Readiness::starting;
}

handshake::Progress Communicator::Impl::progress(const handshake::NodeId& peer, uint64_t index) const {
  const LinkKey key{handshake::to_string(peer), static_cast<uint32_t>(index)};
  const auto it = links.find(key);
  if (it == links.end()) return {};
  if (holding) {
    it->second->incoming.hold();
    holding->push_back(key);
  }
  return {it->second->peer_incarnation, it->second->incoming.received()};
}

handshake::Existing Communicator::Impl::existing(const handshake::NodeId& peer, uint64_t index) const {
  const auto it = links.find(LinkKey{handshake::to_string(peer), static_cast<uint32_t>(index)});
  if (it == links.end() || !it->second->connection) return handshake::Existing::none;
  return it->second->connection->info().initiated ? handshake::Existing::ours : handshake::Existing::theirs;
}

Link& Communicator::Impl::link_for(const LinkKey& key) {
  auto& slot = links[key];
  if (!slot) {
    const auto& s = options.settings;
    slot = std::make_unique<Link>(key, DeliveryQueue<OwnedMessage>::Limits{s.message_queue_limit, s.unacked_limit},
                                  s.ack_threshold, s.queue_full == "wait");
  }
  return *slot;
}

ConnectionSummary Communicator::Impl::summary(const Link& link, const Connection& connection) {
  const ConnectionInfo& info = connection.info();
  return ConnectionSummary{link.key.peer_id,
                           link.peer_name,
                           info.peer_address,
                           info.local_address,
                           link.key.index,
                           info.transport,
                           info.codec_version,
                           info.mode,
                           info.features,
                           info.tls,
                           info.initiated,
                           link.outgoing.waiting() + link.parked.size(),
                           link.outgoing.unacknowledged(),
                           connection.sendfile()};
}

void Communicator::Impl::deliver(Link& link, const protocol::MessageView& message) {
  if (message.type() == FERRY_MSG_NODE_STOPPING) {
    log->info("peer '{}' is stopping: {}", link.peer_name, protocol::v1::read_node_stopping(message).reason);
    return;
  }
  if (message.type() == FERRY_MSG_IDLE_CLOSE) return;
  if (protocol::streaming::is_stream_type(message.type())) {
    if (on_stream_message) on_stream_message(link.key.peer_id, link.key.index, message);
    return;
  }
  if (on_message) on_message(link.key.peer_id, message);
}

void Communicator::Impl::closed(Connection& connection, const std::string& reason) {
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

void Communicator::Impl::fail(Link& link, const std::string& reason) {
  const size_t pending = link.outgoing.waiting() + link.outgoing.unacknowledged() + link.parked.size();
  if (pending > 0) log->warn("{} messages to '{}' failed: {}", pending, link.peer_name, reason);
  link.fail_all(reason);
}

void Communicator::Impl::drain_inbox() {
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
    OwnedMessage owned = OwnedMessage::copy_of(batch.message(send, fields));
    if (!send.payload.empty()) owned.attach_payload(std::move(send.payload));
    link->offer(std::move(owned), std::move(send.completion), std::move(send.options.admitted));
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

void Communicator::Impl::schedule_drain() {
  if (strand.running_in_this_thread() && reading > 0) {
    drain_deferred = true;
    return;
  }
  asio::post(strand, [self = shared_from_this()] { self->drain_inbox(); });
}

void Communicator::Impl::reading_changed(bool handling) {
  if (handling) {
    ++reading;
    return;
  }
  if (--reading == 0 && drain_deferred) {
    drain_deferred = false;
    drain_inbox();
  }
}

Link* Communicator::Impl::link_for_send(const std::string& peer_id, uint32_t connection, Completion& completion) {
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

void Communicator::Impl::wake_loops(const LinkKey& key) {
  for (auto [it, end] = watching.equal_range(key); it != end; ++it) it->second->cancel();
}

asio::awaitable<void> Communicator::Impl::accept_loop(Socket& listener) {
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

void Communicator::set_stream_handlers(StreamMessageHandler on_message, PayloadHandler on_payload,
                                       PayloadTargetHandler payload_target) {
  impl_->on_stream_message = std::move(on_message);
  impl_->on_payload = std::move(on_payload);
  impl_->on_payload_target = std::move(payload_target);
}

void Communicator::set_read_gate(std::function<bool()> may_read) { impl_->may_read = std::move(may_read); }

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
  if (impl_->inbox.add(peer_id, message, std::move(completion), send_options)) impl_->schedule_drain();
}

void Communicator::send(const std::string& peer_id, const protocol::Message& message, Payload payload,
                        Completion completion, const SendOptions& send_options) {
  if (!completion) completion = [](const SendResult&) {};
  if (payload.size() != message.payload_length()) {
    completion(SendResult{false, "a payload of " + std::to_string(payload.size()) + " bytes for a message that announces " +
                                     std::to_string(message.payload_length())});
    return;
  }
  if (impl_->inbox.add(peer_id, message, std::move(completion), send_options, std::move(payload)))
    impl_->schedule_drain();
}

void Communicator::update_protocol(std::vector<std::shared_ptr<plugin::CodecInstance>> codecs,
                                   std::shared_ptr<const handshake::LocalNode> local) {
  asio::post(impl_->strand, [impl = impl_, codecs = std::move(codecs), local = std::move(local)]() mutable {
    auto updated = std::make_shared<handshake::LocalNode>(*local);
    updated->listen_address = impl->options.local->listen_address;
    impl->options.local = std::move(updated);
    impl->options.codecs = std::move(codecs);
  });
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
          if (link->connection) link->connection->say_stopping("the node is shutting down");
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
        impl->on_stream_message = nullptr;
        impl->on_payload = nullptr;
      },
      [&done](std::exception_ptr) { done.set_value(); });
  finished.wait();
}

}  // namespace ferry::comm
