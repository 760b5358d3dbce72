// Reconnection: the loops that keep a configured peer connected, and what brings back a link that has
// messages waiting but no connection (a loop, or the time a peer without a listen address is given).
#include "comm/communicator_impl.hpp"

#include <algorithm>
#include <utility>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

namespace ferry::comm {

using asio::use_awaitable;

void Communicator::Impl::bring_back(Link& link) {
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

asio::awaitable<std::pair<std::string, std::unique_ptr<Socket>>> Communicator::Impl::open(const std::string& address) {
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

asio::awaitable<void> Communicator::Impl::keep_connected(std::string address, uint32_t slot,
                                                     std::optional<handshake::NodeId> expected,
                                                     std::optional<LinkKey> known) {
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

}  // namespace ferry::comm
