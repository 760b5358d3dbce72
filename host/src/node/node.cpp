#include "node/node.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstring>
#include <map>

#include "cli/exit_codes.hpp"
#include "config/peer_entry.hpp"
#include "handshake/text.hpp"
#include "log/logging.hpp"
#include "node/admin_endpoint.hpp"
#include "node/communication_setup.hpp"
#include "node/burn_in.hpp"
#include "node/identity.hpp"
#include "node/reload.hpp"
#include "node/sink_setup.hpp"
#include "node/stream_service.hpp"
#include "protocol/messages_v1.hpp"
#include "plugin/sink_instance.hpp"
#include "runtime/event_loop.hpp"
#include "runtime/systemd_notify.hpp"
#include "version.hpp"

namespace ferry::node {
namespace {

// Threads for sink calls and source reads: blocking work that must not hold up the event loop.
constexpr unsigned kStreamWorkers = 2;

void report_plugins(spdlog::logger& log, const plugin::Catalog& catalog) {
  for (const auto& warning : catalog.warnings()) log.warn("{}", warning);
  for (const auto& record : catalog.records()) {
    if (record.loaded)
      log.info("loaded {} plugin {} {} (ABI {}{}) from {}", record.kind, record.name, record.version, record.abi,
               record.protocol.empty() ? "" : ", protocol " + record.protocol, record.path.string());
    else
      log.warn("refused plugin {}: {}", record.path.string(), record.reason);
  }
}

// A node answers every PING with a PONG carrying the same fields, through the same acknowledged path,
// and hands burn-in messages and connection changes to the burn-in stream when it runs one, and connection
// changes to the streaming sessions. Both are created after the handlers are set, hence the pointers to
// where they will be.
void set_handlers(comm::Communicator& communicator, const std::shared_ptr<BurnIn>& burn_in,
                  const std::unique_ptr<StreamService>& streams) {
  communicator.set_handlers(
      [&communicator, &burn_in](const std::string& peer, const protocol::MessageView& message) {
        if (burn_in && burn_in->receive(peer, message)) return;
        if (message.type() != FERRY_MSG_PING) return;
        const auto ping = protocol::v1::read_ping(message);
        communicator.send(peer, protocol::v1::pong(ping.sequence, ping.sent_ns, ping.padding), {});
      },
      [&burn_in, &streams](const comm::ConnectionSummary& connection) {
        if (burn_in) burn_in->connected(connection);
        if (streams) streams->connected(connection);
      },
      {},
      [&burn_in, &streams](const std::string& peer, const std::string& reason) {
        if (burn_in) burn_in->departed(peer);
        if (streams) streams->departed(peer, reason);
      });
}

// "2 on 1.0 stable, 1 on 1.1 rolling": what the live connections speak, which a reload leaves as it is.
std::string live_versions(const std::vector<comm::ConnectionSummary>& connections) {
  std::map<std::string, size_t> counts;
  for (const auto& connection : connections) ++counts[connection.version + " " + connection.mode];
  std::string text;
  for (const auto& [version, count] : counts)
    text += (text.empty() ? "" : ", ") + std::to_string(count) + " on " + version;
  return text.empty() ? "none" : text;
}

// SIGHUP: new connections negotiate with what the plugin directories and [protocol] now say, or nothing
// changes and the log says why. Live connections are never touched.
void reload(spdlog::logger& log, comm::Communicator& communicator, RunningSet& running, const ConfigReader& reread,
            runtime::EventLoop& loop, AdminEndpoint* admin) {
  log.info("received SIGHUP: reloading {} and rescanning the plugin directories", running.config.source);
  auto prepared = prepare_reload(running, reread(), plugin::FilePolicy::for_current_process(), &loop);
  if (auto* refusal = std::get_if<std::string>(&prepared)) {
    log.error("reload refused, keeping {}: {}", describe_codecs(running.protocol), *refusal);
    return;
  }
  auto& result = std::get<Reload>(prepared);
  for (const auto& loaded : result.loaded) log.info("loaded {}", loaded);
  communicator.update_protocol(result.next.protocol.codecs, result.next.protocol.local);
  for (const auto& change : result.changes) log.info("reload: {}", change);
  for (const auto& key : result.not_applied)
    log.warn("reload: {} changed but is not applied while the node runs; it takes effect at the next restart", key);
  log.info("reloaded: new connections are offered {}; live connections keep what they negotiated ({})",
           describe_codecs(result.next.protocol), live_versions(communicator.connections()));
  // The previous scan goes here: a codec no longer offered stays loaded only through the connections
  // that still speak it.
  running = std::move(result.next);
  if (admin) admin->set_plugins(running.catalog);
}

// A failed notification is worth a warning, not a stop: the node works, systemd just learns it late.
void tell_service_manager(spdlog::logger& log, const std::string& failure) {
  if (!failure.empty()) log.warn("{}", failure);
}

}  // namespace

int run_node(const config::Config& config, const NodeOptions& node_options) {
  // The loop exists before anything else (and before any other thread) so that a stop signal during
  // start-up is not lost: it is noticed once the node is ready, and the node then stops cleanly. SIGHUP
  // is watched from here on too.
  runtime::EventLoop loop(config.communication.io_threads, runtime::Signals::stop_and_reload);
  auto log = ferry::log::get("ferry");
  const Identity identity = node_identity(config);
  const std::string& node_id = identity.id;
  log->info("ferry {} starting node '{}' (id {}, {}) of cluster '{}' with {}", FERRY_VERSION, config.node.name,
            node_id, identity.origin, config.node.cluster, config.source);

  auto catalog = plugin::Catalog::scan(plugin_directories(config), plugin::FilePolicy::for_current_process());
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
  auto& options = std::get<comm::CommunicatorOptions>(prepared);
  RunningSet running{config, std::move(catalog), ProtocolSetup{options.codecs, options.local}};
  log->info("new connections are offered {}", describe_codecs(running.protocol));
  comm::Communicator communicator(loop, std::move(options));
  std::shared_ptr<BurnIn> burn_in;
  std::unique_ptr<StreamService> streams;
  set_handlers(communicator, burn_in, streams);
  // Listening comes first, so that peers that connect while the sinks open are told to wait (need_wait)
  // instead of finding nobody there.
  auto bound = communicator.listen(config.transport.listen);
  if (auto* failure = std::get_if<plugin::PluginError>(&bound)) {
    log->error("{}", failure->message);
    communicator.stop(std::chrono::milliseconds(0));
    return cli::exit_runtime;
  }
  const std::string listening = std::get<std::string>(bound);
  log->info("listening on {} ({})", listening, config.transport.plugin);

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

  // Before ready(): until then every handshake is refused (need_wait), so no handler can see burn_in or
  // streams change.
  std::shared_ptr<plugin::SinkInstance> default_sink;
  for (const auto& sink : sinks)
    if (sink->name() == config.stream.default_sink) default_sink = sink;
  streams = std::make_unique<StreamService>(communicator, loop,
                                            StreamService::Options{config.stream, default_sink, kStreamWorkers});
  streams->attach();
  // After the sessions exist, which the endpoint shows; before ready(), so that it is up when the service
  // manager hears READY=1. /readyz answers 503 until the node is ready.
  std::unique_ptr<AdminEndpoint> admin;
  if (config.admin.enabled) {
    auto started =
        AdminEndpoint::start({config, node_id, listening, communicator, *streams, running.catalog});
    if (auto* failure = std::get_if<std::string>(&started)) {
      log->error("{}", *failure);
      streams->stop("node '" + config.node.name + "' could not start");
      communicator.stop(std::chrono::milliseconds(0));
      loop.stop();  // before the sessions' service goes, as when stopping normally
      return cli::exit_runtime;
    }
    admin = std::move(std::get<0>(started));
    log->info("admin endpoint on {}", admin->address());
  }
  if (node_options.burn_in_rate > 0)
    burn_in = BurnIn::start(communicator, loop,
                            {node_options.burn_in_rate, 256, running.protocol.local->incarnation,
                             std::filesystem::path(config.node.data_dir) / "burn-in-positions"});
  communicator.ready();
  for (const auto& peer : config.transport.peers) {
    const config::PeerEntry entry = config::split_peer(peer);
    communicator.connect(entry.address, handshake::parse_node_id(entry.expected_id));
  }

  if (admin) admin->set_ready(true);
  log->info("node '{}' ready; default sink '{}'", config.node.name, config.stream.default_sink);
  const auto service_manager = runtime::ServiceNotifier::from_environment();
  tell_service_manager(*log, service_manager.ready());
  runtime::EventLoop::Wake wake;
  while ((wake = loop.wait_for_signal()).reload) {
    tell_service_manager(*log, service_manager.reloading());
    reload(*log, communicator, running, node_options.reread, loop, admin.get());
    tell_service_manager(*log, service_manager.ready());
  }
  const int signal = wake.signal;
  log->info("received {}, stopping", signal != 0 ? strsignal(signal) : "a stop request");
  tell_service_manager(*log, service_manager.stopping());
  if (admin) admin->set_ready(false);
  if (burn_in) burn_in->stop();
  streams->stop("node '" + config.node.name + "' is stopping");
  communicator.stop(config.communication.connect_timeout);
  if (burn_in) burn_in->finish();
  // While the loop still runs: the endpoint's last requests may wait for the communicator's strand.
  if (admin) admin->stop();

  for (auto& sink : sinks) {
    if (const auto stats = sink->stats())
      log->info("sink '{}': {} files committed ({} bytes), {} aborted", sink->name(), stats->files_committed,
                stats->bytes_committed, stats->files_aborted);
  }
  // The loop stops first: pending timers fire (cancelled) and queued work runs while their instances
  // still exist; only then are the instances destroyed.
  loop.stop();
  admin.reset();
  streams.reset();
  sinks.clear();
  log->info("node '{}' stopped", config.node.name);
  return cli::exit_ok;
}

}  // namespace ferry::node
