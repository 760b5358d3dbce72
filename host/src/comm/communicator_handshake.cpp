// The handshake driver: runs the handshake over a freshly opened socket and, when it is accepted,
// attaches the connection to its link.
#include "comm/communicator_impl.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "comm/reopen_address.hpp"
#include "comm/same_host.hpp"
#include "comm/traffic_metrics.hpp"
#include "handshake/random.hpp"

namespace ferry::comm {

namespace {

std::string mode_name(handshake::Mode mode) { return mode == handshake::Mode::stable ? "stable" : "rolling"; }

std::string feature_text(const handshake::LocalNode& local, uint64_t mask) {
  std::string text;
  for (const auto& feature : local.feature_names)
    if (feature.bit < 64 && (mask >> feature.bit) & 1) text += (text.empty() ? "" : ",") + feature.name;
  return text.empty() ? "none" : text;
}

// What this node offers over a TLS connection: the same, with the features TLS makes redundant disabled.
std::shared_ptr<const handshake::LocalNode> offered_inside_tls(const handshake::LocalNode& local) {
  auto offered = std::make_shared<handshake::LocalNode>(local);
  offered->features = handshake::over_tls(local.features);
  return offered;
}

}  // namespace

// Releases, when a handshake ends however it ends, the acknowledgements it held back.
struct Communicator::Impl::HeldAcks {
  Impl& impl;
  std::vector<LinkKey> keys;
  ~HeldAcks() {
    for (const auto& key : keys)
      if (const auto it = impl.links.find(key); it != impl.links.end()) it->second->incoming.release();
  }
};

std::shared_ptr<plugin::CodecInstance> Communicator::Impl::codec_for(const Codecs& codecs,
                                                                     const handshake::Version& version) {
  for (const auto& codec : codecs)
    if (codec->version().major == version.major && codec->version().minor == version.minor) return codec;
  return nullptr;
}

asio::awaitable<Attempt> Communicator::Impl::handshake_and_attach(std::unique_ptr<Socket> socket, bool initiated,
                                                                    std::string address, uint32_t slot,
                                                                    std::optional<handshake::NodeId> expected) {
  auto self = shared_from_this();
  auto channel = std::make_unique<Channel>(std::move(*socket));
  socket.reset();
  handshaking.insert(&channel->socket());
  // The codecs and the node this handshake offers, kept to its end: a reload meanwhile changes only later
  // handshakes.
  const Codecs codecs = options.codecs;
  const std::shared_ptr<const handshake::LocalNode> local = options.local;
  asio::steady_timer deadline(strand);
  bool expired = false;
  deadline.expires_after(options.settings.handshake_timeout);
  deadline.async_wait([&](const boost::system::error_code& error) {
    if (!error) {
      expired = true;
      boost::system::error_code ignored;
      channel->socket().cancel(ignored);
    }
  });

  // TLS first, when this node has it: the node handshake then runs inside it.
  std::optional<TlsOutcome> tls;
  if (options.tls) tls = co_await secure(*channel, initiated);
  const auto offered = channel->secured() ? offered_inside_tls(*local) : local;
  auto shake = initiated ? handshake::Handshake::initiator(offered, *this, handshake::random_nonce(), {expected, slot})
                         : handshake::Handshake::responder(offered, *this, handshake::random_nonce());
  HeldAcks held{*this, {}};
  const auto advance = [&](auto&& call) {
    holding = &held.keys;
    handshake::Step next = call();
    holding = nullptr;
    return next;
  };
  std::optional<handshake::Step> step;
  std::vector<uint8_t> early;  // a responder's first bytes from a peer in the clear, for the node handshake
  if (tls) {
    if (expired)
      step = advance([&] { return shake.expire(options.settings.handshake_timeout); });
    else if (!tls->failure.empty())
      step = advance([&] { return shake.refuse_now({tls->code, std::move(tls->failure)}, tls->tell_peer); });
    early = std::move(tls->clear_bytes);
    if (channel->secured()) shake.check_identity_with(identity_check(*channel, initiated));
  }

  if (!step) step = advance([&] { return shake.start(); });
  if (!early.empty() && !step->outcome) {
    handshake::Step next = advance([&] { return shake.feed(early); });
    step->send.insert(step->send.end(), next.send.begin(), next.send.end());
    step->outcome = std::move(next.outcome);
  }
  std::vector<uint8_t> buffer(16u << 10);
  while (true) {
    if (!step->send.empty()) {
      const bool sent = co_await write_all(*channel, step->send);
      if (!sent && !step->outcome) step = advance([&] { return shake.end_of_stream(); });
    }
    if (step->outcome) break;
    const HandshakeRead read = co_await read_some(*channel, buffer);
    if (expired)
      step = advance([&] { return shake.expire(options.settings.handshake_timeout); });
    else if (!read.tls_failure.empty())
      step = advance([&] { return shake.refuse_now({handshake::RefuseCode::tls_failed, read.tls_failure}, false); });
    else if (read.bytes == 0)
      step = advance([&] { return shake.end_of_stream(); });
    else
      step = advance([&] { return shake.feed({buffer.data(), read.bytes}); });
  }
  deadline.cancel();
  handshaking.erase(&channel->socket());
  auto* refused = std::get_if<handshake::Refused>(&*step->outcome);
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
    count_handshake_refused(handshake::to_string(code), refused->by != handshake::Side::local);
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
  auto& accepted = std::get<handshake::Accepted>(*step->outcome);
  count_handshake_accepted();
  const LinkKey key{handshake::to_string(accepted.peer.id), static_cast<uint32_t>(accepted.connection_index)};
  co_return Attempt{attach(std::move(*channel), accepted, initiated, address, codecs), key};
}

std::string Communicator::Impl::attach(Channel channel, handshake::Accepted& accepted,
                                       bool initiated, const std::string& address, const Codecs& codecs) {
  const auto codec = codec_for(codecs, accepted.agreement.local_codec);
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
  if (!link.outgoing.reconnected(accepted.peer_received, std::chrono::steady_clock::now()))
    return "peer reports " + std::to_string(accepted.peer_received) + " messages received, more than were sent";

  const auto local_address = options.transport->local_address(channel.socket().native_handle());
  ConnectionInfo info{options.transport->name(),
                      address,
                      std::holds_alternative<std::string>(local_address) ? std::get<std::string>(local_address) : "",
                      handshake::to_string(accepted.agreement.local_codec),
                      mode_name(accepted.agreement.mode),
                      feature_text(*options.local, accepted.agreement.features),
                      channel.describe(),
                      initiated};
  ConnectionSettings connection_settings{options.settings.ack_interval, options.settings.max_message_size};
  connection_settings.idle_timeout = options.settings.idle_timeout;
  connection_settings.may_close_idle = initiated && !options.local->listen_address.empty();
  connection_settings.sendfile = !channel.secured() && options.transport->supports_sendfile() &&
                                 (options.settings.sendfile == "always" ||
                                  (options.settings.sendfile == "auto" && !same_host(channel.socket().native_handle())));
  connection_settings.payload_in_place = accepted.agreement.mode == handshake::Mode::stable;
  auto connection = std::make_shared<Connection>(strand, std::move(channel),
                                                 std::move(std::get<0>(opened)), link, connection_settings, info,
                                                 std::move(accepted.leftover));
  const uint64_t told = accepted.received;
  if (link.incoming.received() > told) connection->skip_repeats(link.incoming.received() - told);
  link.incoming.peer_knows(told);
  link.connection = connection;

  auto self = shared_from_this();
  connection->start(Connection::Handlers{
      [self](Link& l, const protocol::MessageView& message) { self->deliver(l, message); },
      [self](Link& l, std::span<const uint8_t> piece) { self->deliver_payload(l, piece); },
      [self](Connection& c, const std::string& reason) { self->closed(c, reason); },
      [self] { return !self->may_read || self->may_read(); },
      [self](bool handling) { self->reading_changed(handling); },
      [self](Link& l) { return self->payload_target(l); }});
  connection->wake();
  log->info("connected to '{}' ({}) at {} over {}, tls {}, sendfile {}, connection index {}: protocol {} {}, "
            "features {}",
            link.peer_name, link.key.peer_id, address, info.transport, info.tls,
            connection_settings.sendfile ? "yes" : "no", link.key.index, info.codec_version, info.mode, info.features);
  if (on_connected) on_connected(summary(link, *connection));
  return {};
}

}  // namespace ferry::comm
