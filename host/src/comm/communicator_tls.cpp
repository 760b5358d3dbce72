// TLS under the node handshake, and the handshake's reads and writes through the connection's channel.
// A responder tells the two kinds of peers apart by who speaks first: a TLS client sends its ClientHello
// at once, while a peer in the clear waits for the responder's IDENTIFY.
#include "comm/communicator_impl.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace ferry::comm {

using asio::use_awaitable;

namespace {

// The first byte of a TLS handshake record (a ClientHello).
constexpr uint8_t kTlsHandshakeRecord = 0x16;
// How long a responder waits for a ClientHello before taking the peer for one in the clear. A TLS client
// sends it with the last packet of the TCP handshake, so it is there long before this on any network.
constexpr std::chrono::milliseconds kClearPeerWait{500};

}  // namespace

asio::awaitable<Communicator::Impl::TlsOutcome> Communicator::Impl::secure(Channel& channel, bool initiated) {
  TlsOutcome out;
  std::vector<uint8_t> first;
  if (!initiated) {
    first.resize(16u << 10);
    asio::steady_timer wait(strand);
    bool quiet = false;
    wait.expires_after(std::min<std::chrono::milliseconds>(kClearPeerWait, options.settings.handshake_timeout / 2));
    wait.async_wait([&](const boost::system::error_code& error) {
      if (error) return;
      quiet = true;
      boost::system::error_code ignored;
      channel.socket().cancel(ignored);
    });
    boost::system::error_code error;
    const size_t n =
        co_await channel.socket().async_read_some(asio::buffer(first), asio::redirect_error(use_awaitable, error));
    wait.cancel();
    if (error && !quiet) {
      out.failure = "the connection ended before the TLS handshake: " + error.message();
      out.code = handshake::RefuseCode::protocol_error;
      co_return out;
    }
    first.resize(error ? 0 : n);
    if (first.empty() || first.front() != kTlsHandshakeRecord) {
      if (options.tls_required) {
        out.failure = "node " + handshake::in_quotes(options.local->name) +
                      " takes only TLS connections (tls.required), and the peer connected in the clear";
        out.code = handshake::RefuseCode::tls_required;
        out.tell_peer = true;
      }
      out.clear_bytes = std::move(first);
      co_return out;
    }
  }

  auto opened = options.tls->open(initiated ? plugin::TlsRole::client : plugin::TlsRole::server);
  if (auto* failure = std::get_if<plugin::PluginError>(&opened)) {
    out.failure = "TLS could not start: " + failure->message;
    co_return out;
  }
  channel.secure(std::move(std::get<0>(opened)));
  try {
    co_await channel.handshake(std::move(first));
  } catch (const TlsFailure& e) {
    out.failure = e.what();
  } catch (const boost::system::system_error& e) {
    out.failure = "the connection ended in the TLS handshake: " + e.code().message();
    out.code = handshake::RefuseCode::protocol_error;
  }
  co_return out;
}

handshake::Handshake::IdentityCheck Communicator::Impl::identity_check(Channel& channel, bool initiated) const {
  const bool anonymous_ok = !initiated && options.tls_anonymous_clients;
  return [&channel, anonymous_ok](const handshake::Peer& peer) -> std::optional<std::string> {
    if (anonymous_ok && !channel.peer_certified()) return std::nullopt;
    const auto by_name = channel.check_peer_name(peer.name);
    if (!by_name) return std::nullopt;
    const std::string id = handshake::to_string(peer.id);
    if (!channel.check_peer_name(id)) return std::nullopt;
    return "node " + handshake::in_quotes(peer.name) + " (" + id +
           ") is not the node its TLS certificate names: " + *by_name;
  };
}

asio::awaitable<Communicator::Impl::HandshakeRead> Communicator::Impl::read_some(Channel& channel,
                                                                                  std::span<uint8_t> buffer) {
  HandshakeRead read;
  try {
    read.bytes = co_await channel.read_some(buffer);
  } catch (const TlsFailure& e) {
    read.tls_failure = e.what();
  } catch (const boost::system::system_error&) {
    read.bytes = 0;  // closed, failed or cancelled: the caller tells which
  }
  co_return read;
}

asio::awaitable<bool> Communicator::Impl::write_all(Channel& channel, std::span<const uint8_t> bytes) {
  try {
    co_await channel.write(bytes);
  } catch (const TlsFailure&) {
    co_return false;
  } catch (const boost::system::system_error&) {
    co_return false;
  }
  co_return true;
}

}  // namespace ferry::comm
