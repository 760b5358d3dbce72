// `ferry ping --to ADDR`: a transient node connects through the real stack (transport plugin, handshake,
// codec, acknowledged delivery), sends pings with up to --window in flight, and reports round trips,
// rate, loss and what was negotiated. It is a well-behaved producer: it keeps at most
// communication.message_queue_limit pings waiting for admission into the link's bounded queue, and after
// a refusal by a full queue (communication.queue_full = "error") sends again only once something it sent
// has progressed, so that a stalled peer holds it back instead of making it pile up messages.
#include <CLI/CLI.hpp>

#include <algorithm>
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
#include "handshake/text.hpp"
#include "comm/ping_stats.hpp"
#include "node/communication_setup.hpp"
#include "protocol/messages_v1.hpp"
#include "runtime/event_loop.hpp"
#include "util/json.hpp"
#include "util/uuid.hpp"

namespace ferry::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct PingOptions {
  ConfigOptions config;
  std::string to;
  uint64_t count = 10;
  uint64_t size = 64;
  uint64_t window = 1;
  double timeout_s = 30;
  bool json = false;
};

// What the strand's handlers share with the thread that drives the pings.
struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<comm::ConnectionSummary> connection;
  std::string last_failure;
  bool gave_up = false;  // a permanent refusal: no point waiting for the timeout
  uint64_t in_flight = 0;
  uint64_t completions = 0;  // sends the layer reported as delivered (acknowledged by the peer)
  uint64_t completions_failed = 0;
  uint64_t progress = 0;  // replies and completions so far: a full queue has room again once it moves
  uint64_t unadmitted = 0;  // pings sent but neither admitted into the queue nor failed yet
  Clock::duration admission_wait_max{};  // the longest a ping waited to enter the queue
  std::optional<uint64_t> refused_at;  // progress when the queue last refused a ping, until it moves on
  std::string send_failure;
  comm::PingStats stats;
  explicit Shared(uint64_t count) : stats(count) {}
};

uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count());
}

double milliseconds(Clock::duration duration) { return std::chrono::duration<double, std::milli>(duration).count(); }

std::string json_summary(const comm::PingSummary& s, uint64_t completions, double admission_wait_max_ms,
                         const comm::ConnectionSummary& c) {
  std::string out = "{";
  const auto number = [&](const char* name, double value) {
    char text[64];
    std::snprintf(text, sizeof text, "\"%s\":%.17g,", name, value);
    out += text;
  };
  number("sent", static_cast<double>(s.sent));
  number("received", static_cast<double>(s.received));
  number("lost", static_cast<double>(s.lost));
  number("duplicated", static_cast<double>(s.duplicated));
  number("reordered", static_cast<double>(s.reordered));
  number("queue_full", static_cast<double>(s.refused));
  number("completions", static_cast<double>(completions));
  number("admission_wait_max_ms", admission_wait_max_ms);
  number("rtt_p50_us", s.rtt_p50_us);
  number("rtt_p99_us", s.rtt_p99_us);
  number("rtt_max_us", s.rtt_max_us);
  number("msgs_per_s", s.msgs_per_s);
  const auto text = [&](const char* name, const std::string& value, bool comma = true) {
    out += '"';
    out += name;
    out += "\":";
    util::append_json_string(out, value);
    if (comma) out += ',';
  };
  text("peer", c.peer_name);
  text("peer_id", c.peer_id);
  text("transport", c.transport);
  text("version", c.version);
  text("mode", c.mode);
  text("features", c.features);
  text("tls", "none", false);
  return out + "}\n";
}

void print_text(const comm::PingSummary& s, const comm::ConnectionSummary& c) {
  std::printf("ping %s: node '%s' (%s) over %s, protocol %s %s, features %s, tls none\n", c.peer_address.c_str(),
              c.peer_name.c_str(), c.peer_id.c_str(), c.transport.c_str(), c.version.c_str(), c.mode.c_str(),
              c.features.c_str());
  std::printf("%llu sent, %llu received, %llu lost, %llu duplicated", static_cast<unsigned long long>(s.sent),
              static_cast<unsigned long long>(s.received), static_cast<unsigned long long>(s.lost),
              static_cast<unsigned long long>(s.duplicated));
  if (s.refused > 0) std::printf(", %llu refused (queue full)", static_cast<unsigned long long>(s.refused));
  std::printf("\n");
  std::printf("round trip p50 %.1f us, p99 %.1f us, max %.1f us; %.0f messages/s\n", s.rtt_p50_us, s.rtt_p99_us,
              s.rtt_max_us, s.msgs_per_s);
}

int ping(const PingOptions& options) {
  const auto config = options.config.load(false);
  if (!config) return exit_invalid;
  options.config.configure_logging(*config);

  const auto catalog = plugin::Catalog::scan(node::plugin_directories(*config), plugin::FilePolicy::for_current_process());
  std::vector<config::ConfigError> errors;
  const auto transport = node::resolve_transport(*config, catalog, errors);
  for (const auto& error : errors) std::cerr << "error: " << error.to_string() << '\n';
  if (!errors.empty()) return exit_invalid;

  runtime::EventLoop loop(1);
  auto prepared = node::prepare_communication(*config, catalog, *transport, *handshake::parse_node_id(util::random_uuid()), loop);
  if (auto* failure = std::get_if<std::string>(&prepared)) {
    std::cerr << "error: " << *failure << '\n';
    return exit_runtime;
  }
  // Declared before the communicator, so that it outlives every handler that reaches it.
  Shared shared(options.count);
  comm::Communicator communicator(loop, std::move(std::get<comm::CommunicatorOptions>(prepared)));
  communicator.set_handlers(
      [&shared](const std::string&, const protocol::MessageView& message) {
        if (message.type() != FERRY_MSG_PONG) return;
        const auto pong = protocol::v1::read_ping(message);
        std::lock_guard lock(shared.mutex);
        shared.stats.replied(pong.sequence, std::chrono::nanoseconds(now_ns() - pong.sent_ns));
        --shared.in_flight;
        ++shared.progress;
        shared.changed.notify_all();
      },
      [&shared](const comm::ConnectionSummary& connection) {
        std::lock_guard lock(shared.mutex);
        if (!shared.connection) shared.connection = connection;
        shared.changed.notify_all();
      },
      [&shared](const std::string&, const std::string& reason, bool permanent) {
        std::lock_guard lock(shared.mutex);
        shared.last_failure = reason;
        shared.gave_up = shared.gave_up || permanent;
        shared.changed.notify_all();
      },
      [&shared](const std::string&, const std::string& reason) {
        // The node left: replies still outstanding will never come.
        std::lock_guard lock(shared.mutex);
        if (shared.send_failure.empty()) shared.send_failure = reason;
        shared.changed.notify_all();
      });
  communicator.connect(options.to);

  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.timeout_s));
  std::unique_lock lock(shared.mutex);
  // Transient failures (refused connections, cuts during the handshake) are retried until the timeout.
  shared.changed.wait_until(lock, deadline, [&] { return shared.connection || shared.gave_up; });
  if (!shared.connection) {
    lock.unlock();
    communicator.stop(std::chrono::milliseconds(0));
    std::cerr << "error: cannot reach " << options.to << ": "
              << (shared.last_failure.empty() ? "no answer within the timeout" : shared.last_failure) << '\n';
    return exit_runtime;
  }
  const std::string peer = shared.connection->peer_id;
  const std::vector<uint8_t> padding(options.size, 0x5a);
  const auto started = Clock::now();
  // With "wait", pings beyond the queue are parked, at most message_queue_limit of them: keeping no more
  // unadmitted than that, ping is never refused and holds no more than the link's bound (docs/protocol.md
  // §3.4). Waiting for each ping's admission before the next would cost a thread hand-off per ping: 25 to
  // 50 times fewer pings per second, measured with --window 1000.
  const uint64_t admission_window = config->communication.message_queue_limit;
  const auto may_send = [&] {
    if (!shared.send_failure.empty()) return true;  // to stop
    const bool queue_moved = !shared.refused_at || shared.progress > *shared.refused_at;
    return shared.in_flight < options.window && shared.unadmitted < admission_window && queue_moved;
  };
  for (uint64_t sequence = 1; sequence <= options.count; ++sequence) {
    if (!shared.changed.wait_until(lock, deadline, may_send)) break;
    if (!shared.send_failure.empty()) break;
    shared.refused_at.reset();
    ++shared.in_flight;
    ++shared.unadmitted;
    shared.stats.sent();
    lock.unlock();
    // Both handlers run on the strand, one after the other: the flag needs no lock.
    auto admitted = std::make_shared<bool>(false);
    comm::SendOptions send_options;
    send_options.admitted = [&shared, admitted, sent_at = Clock::now()] {
      *admitted = true;
      std::lock_guard guard(shared.mutex);
      --shared.unadmitted;
      shared.admission_wait_max = std::max(shared.admission_wait_max, Clock::now() - sent_at);
      shared.changed.notify_all();
    };
    const auto completed = [&shared, admitted](const comm::SendResult& result) {
      std::lock_guard guard(shared.mutex);
      ++shared.progress;
      if (!*admitted) --shared.unadmitted;
      if (result.delivered) {
        ++shared.completions;
      } else if (result.queue_full) {
        // Not lost: it never left. The next ping waits until the queue moves rather than be refused too.
        ++shared.completions_failed;
        shared.stats.refused();
        --shared.in_flight;
        shared.refused_at = shared.progress;
      } else {
        ++shared.completions_failed;
        if (shared.send_failure.empty()) shared.send_failure = result.reason;
      }
      shared.changed.notify_all();
    };
    communicator.send(peer, protocol::v1::ping(sequence, now_ns(), padding), completed, send_options);
    lock.lock();
  }
  shared.changed.wait_until(lock, deadline, [&] { return shared.in_flight == 0 || !shared.send_failure.empty(); });
  const auto summary = shared.stats.summary(Clock::now() - started);
  // Every send completes exactly once; the last acknowledgements may trail the last replies.
  shared.changed.wait_until(lock, deadline, [&] {
    return shared.completions + shared.completions_failed >= summary.sent;
  });
  const uint64_t completions = shared.completions;
  const double admission_wait_max_ms = milliseconds(shared.admission_wait_max);
  const auto connection = *shared.connection;
  const std::string failure = shared.send_failure;
  lock.unlock();
  communicator.stop(std::chrono::milliseconds(1000));
  loop.stop();

  if (options.json)
    std::cout << json_summary(summary, completions, admission_wait_max_ms, connection);
  else
    print_text(summary, connection);
  if (!failure.empty()) std::cerr << "error: " << failure << '\n';
  if (summary.refused > 0)
    std::cerr << "error: " << summary.refused
              << " pings were refused because the queue to the peer was full (communication.message_queue_limit)\n";
  if (summary.lost > 0 || summary.duplicated > 0 || summary.reordered > 0 || completions != summary.sent || !failure.empty()) return exit_runtime;
  return exit_ok;
}

}  // namespace

void add_ping_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<PingOptions>();
  CLI::App* command = app.add_subcommand("ping", "Measure round trips and throughput to a node through the real stack");
  options->config.add_to(*command);
  command->add_option("--to", options->to, "Address of the node, in the transport's syntax")->required();
  command->add_option("--count", options->count, "Pings to send")->check(CLI::Range(uint64_t{1}, uint64_t{100000000}));
  command->add_option("--size", options->size, "Padding bytes per ping")->check(CLI::Range(uint64_t{0}, uint64_t{1} << 20));
  command->add_option("--window", options->window, "Pings in flight at once (1: pure round trips)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 20));
  command->add_option("--timeout", options->timeout_s, "Seconds before giving up")->check(CLI::Range(0.1, 86400.0));
  command->add_flag("--json", options->json, "Print one JSON object");
  command->callback([options, &exit_status] { exit_status = ping(*options); });
}

}  // namespace ferry::cli
