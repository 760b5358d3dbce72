#include "node/node.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstring>

#include "cli/exit_codes.hpp"
#include "config/peer_entry.hpp"
#include "handshake/text.hpp"
#include "log/logging.hpp"
#include "node/communication_setup.hpp"
#include "node/identity.hpp"
#include "node/sink_setup.hpp"
#include "protocol/messages_v1.hpp"
#include "plugin/sink_instance.hpp"
#include "runtime/event_loop.hpp"
#include "version.hpp"

namespace ferry::node {
namespace {

void report_plugins(spdlog::logger& log, const plugin::Catalog& catalog) {
  for (const auto& warning : catalog.warnings()) log.warn("{}", warning);
  for (const auto& record : catalog.records()) {
    if (record.loaded)
      log.info("loaded {} plugin {} {} (ABI {}) from {}", record.kind, record.name, record.version, record.abi,
               record.path.string());
    else
      log.warn("refused plugin {}: {}", record.path.string(), record.reason);
  }
}

// A node answers every PING with a PONG carrying the same fields, through the same acknowledged path.
void answer_pings(comm::Communicator& communicator) {
  communicator.set_handlers(
      [&communicator](const std::string& peer, const protocol::MessageView& message) {
        if (message.type() != FERRY_MSG_PING) return;
        const auto ping = protocol::v1::read_ping(message);
        communicator.send(peer, protocol::v1::pong(ping.sequence, ping.sent_ns, ping.padding), {});
      },
      {}, {});
}

}  // namespace

int run_node(const config::Config& config) {
  // The loop exists before anything else so that a stop signal during start-up is not lost: it is
  // noticed once the node is ready, and the node then stops cleanly.
  runtime::EventLoop loop(config.communication.io_threads);
  auto log = ferry::log::get("ferry");
  const Identity identity = node_identity(config);
  const std::string& node_id = identity.id;
  log->info("ferry {} starting node '{}' (id {}, {}) of cluster '{}' with {}", FERRY_VERSION, config.node.name,
            node_id, identity.origin, config.node.cluster, config.source);

  const auto catalog = plugin::Catalog::scan(plugin_directories(config), plugin::FilePolicy::for_current_process());
  report_plugins(*log, catalog);

  std::vector<config::ConfigError> errors;
  // The transport is checked like the sinks, so that this refuses exactly what `ferry config check` refuses.
  const auto transport = resolve_transport(config, catalog, errors);
  auto resolved = resolve_sinks(config, catalog, errors);
  if (!errors.empty()) {
    for (const auto& error : errors) log->error("{}", error.to_string());
    return cli::exit_invalid;
  }

  auto prepared = prepare_communication(config, catalog, *transport, *handshake::parse_node_id(node_id), loop);
  if (auto* failure = std::get_if<std::string>(&prepared)) {
    log->error("{}", *failure);
    return cli::exit_runtime;
  }
  comm::Communicator communicator(loop, std::move(std::get<comm::CommunicatorOptions>(prepared)));
  answer_pings(communicator);
  // Listening comes first, so that peers that connect while the sinks open are told to wait (need_wait)
  // instead of finding nobody there.
  auto bound = communicator.listen(config.transport.listen);
  if (auto* failure = std::get_if<plugin::PluginError>(&bound)) {
    log->error("{}", failure->message);
    communicator.stop(std::chrono::milliseconds(0));
    return cli::exit_runtime;
  }
  log->info("listening on {} ({})", std::get<std::string>(bound), config.transport.plugin);

  std::vector<std::shared_ptr<plugin::SinkInstance>> sinks;
  for (auto& entry : resolved) {
    auto created = plugin::SinkInstance::create(entry.library, entry.section->name, entry.values, &loop);
    if (auto* failure = std::get_if<plugin::PluginError>(&created)) {
      log->error("sink '{}' (plugin {}) could not start: {}", entry.section->name, entry.section->plugin,
                 failure->message);
      communicator.stop(std::chrono::milliseconds(0));
      return cli::exit_runtime;
    }
    sinks.push_back(std::move(std::get<0>(created)));
    log->info("sink '{}' ready (plugin {})", entry.section->name, entry.section->plugin);
  }

  communicator.ready();
  for (const auto& peer : config.transport.peers) {
    const config::PeerEntry entry = config::split_peer(peer);
    communicator.connect(entry.address, handshake::parse_node_id(entry.expected_id));
  }

  log->info("node '{}' ready; default sink '{}'", config.node.name, config.stream.default_sink);
  const int signal = loop.wait_for_stop_signal();
  log->info("received {}, stopping", signal != 0 ? strsignal(signal) : "a stop request");
  communicator.stop(config.communication.connect_timeout);

  for (auto& sink : sinks) {
    if (const auto stats = sink->stats())
      log->info("sink '{}': {} files committed ({} bytes), {} aborted", sink->name(), stats->files_committed,
                stats->bytes_committed, stats->files_aborted);
  }
  // The loop stops first: pending timers fire (cancelled) and queued work runs while their instances
  // still exist; only then are the instances destroyed.
  loop.stop();
  sinks.clear();
  log->info("node '{}' stopped", config.node.name);
  return cli::exit_ok;
}

}  // namespace ferry::node
