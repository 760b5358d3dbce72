// `ferry send --to ADDR PATH... [--fetch REMOTE_PATH]...` and `ferry fetch --from ADDR REMOTE_PATH...`: a
// transient node (like `ferry ping`) connects through the real stack, runs one streaming session as its
// initiator, shows progress, and prints a summary. Exit 0 when the session is COMPLETE; 3 with the reason
// when it FAILED; 128 + N when signal N (SIGINT, SIGTERM) stopped it, failing the session on both sides.
// `send --fetch` moves files both ways in that one session.
//
// Sinks: fetched files go to this command's sink (--sink, else stream.default_sink of -c FILE); sent files
// go to the receiving node's stream.default_sink, since a session's messages do not name a sink
// (docs/streaming.md, "Which sink receives").
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>

#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/reach_peer.hpp"
#include "cli/transfer_progress.hpp"
#include "handshake/text.hpp"
#include "node/communication_setup.hpp"
#include "node/source_files.hpp"
#include "node/stream_service.hpp"
#include "plugin/sink_instance.hpp"
#include "runtime/event_loop.hpp"
#include "util/uuid.hpp"

namespace ferry::cli {
namespace {

struct TransferOptions {
  ConfigOptions config;
  std::string peer;  // --to or --from
  std::string sink;
  std::vector<std::string> paths;
  std::vector<std::string> also_fetch;  // send --fetch: requested in the same session
  double timeout_s = 30;  // for reaching the node; a running session is bounded by its keep-alives
  bool json = false;
  bool fetch = false;
};

struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  PeerState peer;
  std::optional<node::SessionReport> result;
};

// The sink fetched files go to: --sink, else the configuration's default sink.
std::variant<std::shared_ptr<plugin::SinkInstance>, std::string> open_sink(const config::Config& config,
                                                                          const plugin::Catalog& catalog,
                                                                          const std::string& wanted,
                                                                          runtime::EventLoop& loop) {
  std::vector<config::ConfigError> errors;
  const auto resolved = node::resolve_sinks(config, catalog, errors);
  if (!errors.empty()) return errors.front().to_string();
  const std::string name = wanted.empty() ? config.stream.default_sink : wanted;
  std::string names;
  for (const auto& entry : resolved) {
    names += (names.empty() ? "\"" : ", \"") + entry.section->name + "\"";
    if (entry.section->name != name) continue;
    auto created = plugin::SinkInstance::create(entry.library, entry.section->name, entry.values, &loop);
    if (auto* failure = std::get_if<plugin::PluginError>(&created))
      return "sink '" + name + "' could not start: " + failure->message;
    return std::get<0>(std::move(created));
  }
  return "--sink: no [[sink]] named \"" + name + "\"; defined sinks: " + names;
}

void show(const node::SessionReport& report, bool terminal) {
  if (terminal)
    std::fprintf(stderr, "\r%s", progress_line(report, true).c_str());
  else
    std::fprintf(stderr, "%s\n", progress_line(report, false).c_str());
  std::fflush(stderr);
}

int transfer(const TransferOptions& options) {
  const auto config = options.config.load(false);
  if (!config) return exit_invalid;
  options.config.configure_logging(*config);

  std::vector<stream::SourceFile> sends;
  std::vector<std::string> requests;
  const bool receives = options.fetch || !options.also_fetch.empty();
  if (options.fetch) {
    requests = options.paths;
  } else {
    requests = options.also_fetch;
    if (!options.sink.empty() && options.also_fetch.empty()) {
      std::cerr << "error: --sink: the receiving node puts sent files into its stream.default_sink; a session "
                   "cannot name another of its sinks (with --fetch, --sink names where fetched files go)\n";
      return exit_usage;
    }
    for (const auto& path : options.paths)
      if (std::string failure = node::list_source_files(path, sends); !failure.empty()) {
        std::cerr << "error: " << failure << '\n';
        return exit_usage;
      }
  }

  const auto catalog = plugin::Catalog::scan(node::plugin_directories(*config), plugin::FilePolicy::for_current_process());
  std::vector<config::ConfigError> errors;
  const auto transport = node::resolve_transport(*config, catalog, errors);
  for (const auto& error : errors) std::cerr << "error: " << error.to_string() << '\n';
  if (!errors.empty()) return exit_invalid;

  // Declared before the loop, the communicator and the service, so that it outlives every handler that
  // reaches it.
  Shared shared;
  // Before any other thread (the sink's, the communicator's): see EventLoop.
  runtime::EventLoop loop(1, runtime::Signals::stop);
  loop.on_stop_signal([&shared](int signal) {
    std::lock_guard lock(shared.mutex);
    shared.peer.stop_signal = signal;
    shared.changed.notify_all();
  });
  std::shared_ptr<plugin::SinkInstance> sink;
  if (receives) {
    auto opened = open_sink(*config, catalog, options.sink, loop);
    if (auto* failure = std::get_if<std::string>(&opened)) {
      std::cerr << "error: " << *failure << '\n';
      return exit_invalid;
    }
    sink = std::get<0>(std::move(opened));
  }
  auto prepared =
      node::prepare_communication(*config, catalog, *transport, *handshake::parse_node_id(util::random_uuid()), loop);
  if (auto* failure = std::get_if<std::string>(&prepared)) {
    std::cerr << "error: " << *failure << '\n';
    return exit_runtime;
  }
  comm::Communicator communicator(loop, std::move(std::get<comm::CommunicatorOptions>(prepared)));
  std::unique_ptr<node::StreamService> streams;
  communicator.set_handlers(
      {},
      [&shared, &streams](const comm::ConnectionSummary& connection) {
        if (streams) streams->connected(connection);
        std::lock_guard lock(shared.mutex);
        if (!shared.peer.connection) shared.peer.connection = connection;
        shared.changed.notify_all();
      },
      [&shared](const std::string&, const std::string& reason, bool permanent) {
        std::lock_guard lock(shared.mutex);
        shared.peer.last_failure = reason;
        shared.peer.gave_up = shared.peer.gave_up || permanent;
        shared.changed.notify_all();
      },
      [&streams](const std::string& peer, const std::string& reason) {
        if (streams) streams->departed(peer, reason);
      });
  streams = std::make_unique<node::StreamService>(communicator, loop,
                                                  node::StreamService::Options{config->stream, sink, 2});
  streams->attach();
  communicator.ready();
  communicator.connect(options.peer);

  std::unique_lock lock(shared.mutex);
  if (!reach_peer(lock, shared.changed, shared.peer, communicator, options.peer, options.timeout_s))
    return shared.peer.stop_signal != 0 ? exit_signal_base + shared.peer.stop_signal : exit_runtime;
  const std::string peer = shared.peer.connection->peer_id;
  lock.unlock();

  const std::string session = streams->start(peer, std::move(sends), std::move(requests), [&shared](const node::SessionReport& report) {
    std::lock_guard done(shared.mutex);
    shared.result = report;
    shared.changed.notify_all();
  });
  const bool terminal = !options.json && ::isatty(STDERR_FILENO);
  const auto interval = terminal ? std::chrono::milliseconds(250) : std::chrono::milliseconds(5000);
  lock.lock();
  // A session always ends: COMPLETE, or FAILED at the latest when its peer is silent for 4 keep-alive
  // intervals, or at once when a stop signal fails it (telling the peer, whose sink then keeps nothing).
  int interrupted = 0;
  for (;;) {
    const bool ended = shared.changed.wait_for(lock, interval, [&] {
      return shared.result.has_value() || (shared.peer.stop_signal != 0 && interrupted == 0);
    });
    if (shared.result) break;
    lock.unlock();
    if (ended) {
      interrupted = shared.peer.stop_signal;
      streams->stop(interrupted_by(interrupted));
    } else if (const auto report = streams->report(session); report && !options.json) {
      show(*report, terminal);
    }
    lock.lock();
  }
  const node::SessionReport report = *shared.result;
  lock.unlock();
  if (terminal) std::fprintf(stderr, "\r%s\n", progress_line(report, true).c_str());
  // The peer's last acknowledgements (of STREAM_COMPLETE) drain before the transient node leaves.
  communicator.stop(std::chrono::milliseconds(2000));
  streams.reset();
  loop.stop();

  if (options.json)
    std::cout << summary_json(report) << '\n';
  else
    std::cout << summary_text(report) << '\n';
  if (report.state != stream::State::complete) {
    std::cerr << "error: the session failed: " << report.reason << '\n';
    return interrupted != 0 ? exit_signal_base + interrupted : exit_runtime;
  }
  return exit_ok;
}

void add_transfer(CLI::App& app, int& exit_status, bool fetch) {
  auto options = std::make_shared<TransferOptions>();
  options->fetch = fetch;
  CLI::App* command = fetch ? app.add_subcommand("fetch", "Fetch files from a node's export roots into a sink")
                            : app.add_subcommand("send", "Send files and directories to a node");
  options->config.add_to(*command);
  command->add_option(fetch ? "--from" : "--to", options->peer, "Address of the node, in the transport's syntax")
      ->required();
  command->add_option("--sink", options->sink,
                      fetch ? "The sink of -c FILE that receives (default: its stream.default_sink)"
                            : "With --fetch: the sink of -c FILE that receives (the node uses its "
                              "stream.default_sink for what is sent)");
  if (!fetch)
    command->add_option("--fetch", options->also_fetch,
                        "Also fetch this path below the node's stream.export_roots, in the same session "
                        "(repeatable)")
        ->expected(1);
  command->add_option("--timeout", options->timeout_s, "Seconds to wait for the node to answer")
      ->check(CLI::Range(0.1, 86400.0));
  command->add_flag("--json", options->json, "Print the summary as one JSON object");
  command->add_option(fetch ? "REMOTE_PATH" : "PATH", options->paths,
                      fetch ? "Paths below the node's stream.export_roots" : "Files or directories to send")
      ->required();
  command->callback([options, &exit_status] { exit_status = transfer(*options); });
}

}  // namespace

void add_transfer_commands(CLI::App& app, int& exit_status) {
  add_transfer(app, exit_status, false);
  add_transfer(app, exit_status, true);
}

}  // namespace ferry::cli
