// `ferry ping --to ADDR`: a transient node connects through the real stack (transport plugin, handshake,
// codec, acknowledged delivery), sends pings with up to --window in flight, and reports round trips,
// rate, loss and what was negotiated. It is a well-behaved producer: it keeps at most
// communication.message_queue_limit pings waiting for admission into the link's bounded queue, and after
// a refusal by a full queue (communication.queue_full = "error") sends again only once something it sent
// has progressed, so that a stalled peer holds it back instead of making it pile up messages. With
// --one-way it sends DATA messages instead, which the node accepts without answering, and counts
// acknowledgements: the one-way acknowledged message rate.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/reach_peer.hpp"
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
  bool one_way = false;
};

// The one-way mode's state. Its completions run on the strand in the order sent and the sending thread
// reads what they count, so the common case takes no lock: Shared::mutex is taken only to sleep while the
// window is full, to wake that sleeper, and at a failure. The stats the completions feed are read
// only once the communicator has stopped, when no handler runs any more. What the strand writes for
// every completion and what the sending thread writes for every send lie on separate cache lines, and
// the sender reads `completed` only when the window looks full: a line that went back and forth between
// the two threads at every message cost the strand more than the rest of the completion.
struct OneWay {
  static constexpr uint64_t kNobody = UINT64_MAX;
  alignas(64) std::atomic<uint64_t> completed{0};  // delivered or failed
  // Both written seldom, read often.
  alignas(64) std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> wake_at{kNobody};  // the sender sleeps until `completed` reaches this
  std::vector<uint64_t> sent_ns;  // when each message was sent, by sequence - 1
};

struct RoundTrips;

// What the strand's handlers share with the thread that drives the pings.
struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
  PeerState peer;
  uint64_t in_flight = 0;
  uint64_t completions = 0;  // sends the layer reported as delivered (acknowledged by the peer)
  uint64_t completions_failed = 0;
  uint64_t progress = 0;  // replies and completions so far: a full queue has room again once it moves
  uint64_t unadmitted = 0;  // pings sent but neither admitted into the queue nor failed yet
  Clock::duration admission_wait_max{};  // the longest a ping waited to enter the queue
  std::optional<uint64_t> refused_at;  // progress when the queue last refused a ping, until it moves on
  std::string send_failure;
  RoundTrips* round_trips = nullptr;  // set while pings are being sent, for the handlers to send more
  comm::PingStats stats;
  OneWay one_way;
  explicit Shared(uint64_t count) : stats(count) {}
};

uint64_t since_epoch_ns(Clock::time_point at) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count());
}

uint64_t now_ns() { return since_epoch_ns(Clock::now()); }

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
  text("tls", c.tls, false);
  return out + "}\n";
}

void print_text(const comm::PingSummary& s, const comm::ConnectionSummary& c, bool one_way) {
  std::printf("ping %s: node '%s' (%s) over %s, protocol %s %s, features %s, tls %s\n", c.peer_address.c_str(),
              c.peer_name.c_str(), c.peer_id.c_str(), c.transport.c_str(), c.version.c_str(), c.mode.c_str(),
              c.features.c_str(), c.tls.c_str());
  std::printf("%llu sent, %llu received, %llu lost, %llu duplicated", static_cast<unsigned long long>(s.sent),
              static_cast<unsigned long long>(s.received), static_cast<unsigned long long>(s.lost),
              static_cast<unsigned long long>(s.duplicated));
  if (s.refused > 0) std::printf(", %llu refused (queue full)", static_cast<unsigned long long>(s.refused));
  std::printf("\n");
  std::printf("%s p50 %.1f us, p99 %.1f us, max %.1f us; %.0f messages/s\n",
              one_way ? "send to acknowledgement" : "round trip", s.rtt_p50_us, s.rtt_p99_us, s.rtt_max_us,
              s.msgs_per_s);
}

using Deadline = Clock::time_point;

// Round trips: each PING is answered by a PONG, whose arrival (the message handler) feeds the stats.
// Pings leave wherever room opens: from the driving thread for the first window, then from the handlers
// that open room (a PONG, a completion, an admission), so that in the steady state a PONG's handler sends
// the next PING on the I/O thread itself. Handing each PONG to the driving thread and the next PING back
// cost two thread wake-ups per round trip, as many as the round trip itself takes between the processes.
struct RoundTrips {
  comm::Communicator& communicator;
  const std::string& peer;
  const std::vector<uint8_t>& padding;
  const PingOptions& options;
  uint64_t admission_window;
  uint64_t sent = 0;

  bool finished(const Shared& shared) const {
    return !shared.send_failure.empty() || (sent == options.count && shared.in_flight == 0);
  }
  // With "wait", pings beyond the queue are parked, at most message_queue_limit of them: keeping no more
  // unadmitted than that, ping is never refused and holds no more than the link's bound (docs/protocol.md
  // §3.4). Waiting for each ping's admission before the next would cost a thread hand-off per ping: 25 to
  // 50 times fewer pings per second, measured with --window 1000.
  bool may_send(const Shared& shared) const {
    const bool queue_moved = !shared.refused_at || shared.progress > *shared.refused_at;
    return sent < options.count && shared.send_failure.empty() && shared.in_flight < options.window &&
           shared.unadmitted < admission_window && queue_moved;
  }
  // Called with Shared::mutex held. Communicator::send never runs a handler before it returns.
  void pump(Shared& shared);
};

// The handlers' side of waking the driving thread: while pings are being sent it waits only for the end.
void notify_driver(Shared& shared) {
  if (!shared.round_trips || shared.round_trips->finished(shared)) shared.changed.notify_all();
}

void RoundTrips::pump(Shared& shared) {
  while (may_send(shared)) {
    shared.refused_at.reset();
    ++shared.in_flight;
    ++shared.unadmitted;
    const uint64_t sequence = ++sent;
    shared.stats.sent();
    // Both handlers run on the strand, one after the other: the flag needs no lock.
    auto admitted = std::make_shared<bool>(false);
    comm::SendOptions send_options;
    send_options.admitted = [&shared, admitted, sent_at = Clock::now()] {
      *admitted = true;
      std::lock_guard guard(shared.mutex);
      --shared.unadmitted;
      shared.admission_wait_max = std::max(shared.admission_wait_max, Clock::now() - sent_at);
      if (shared.round_trips) shared.round_trips->pump(shared);
      notify_driver(shared);
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
      if (shared.round_trips) shared.round_trips->pump(shared);
      notify_driver(shared);
    };
    communicator.send(peer, protocol::v1::ping(sequence, now_ns(), padding), completed, send_options);
  }
}

uint64_t send_pings(comm::Communicator& communicator, const std::string& peer, const std::vector<uint8_t>& padding,
                    const PingOptions& options, uint64_t admission_window, Deadline deadline, Shared& shared,
                    std::unique_lock<std::mutex>& lock) {
  RoundTrips round_trips{communicator, peer, padding, options, admission_window};
  shared.round_trips = &round_trips;
  round_trips.pump(shared);
  shared.changed.wait_until(lock, deadline, [&] { return round_trips.finished(shared); });
  // Past the deadline too: from here on the handlers only count.
  shared.round_trips = nullptr;
  return round_trips.sent;
}

// One way: DATA messages nobody answers. A message counts as received when its send completed as
// delivered, i.e. the peer acknowledged it; the "round trip" is the time from send to the handling of
// that acknowledgement (SendResult::acknowledged_at).
// Completions arrive in the order sent on one link, so a reordered or repeated one shows in the stats.
uint64_t send_one_way(comm::Communicator& communicator, const std::string& peer, const std::vector<uint8_t>& padding,
                      const PingOptions& options, Deadline deadline, Shared& shared, std::unique_lock<std::mutex>& lock) {
  OneWay& state = shared.one_way;
  state.sent_ns.resize(options.count);
  lock.unlock();
  // Sleeps until at most `limit` sends are unfinished; false on a failure or at the deadline. The
  // sleeper publishes the count it waits for and completions read it, both sequentially consistent, so
  // a completion either sees the sleeper or the sleeper sees its count; only the one that reaches the
  // count takes the lock to wake it.
  const auto wait_until_at_most = [&](uint64_t sent, uint64_t limit) {
    const auto room = [&] { return sent - state.completed.load() <= limit || state.failed.load() > 0; };
    if (!room()) {
      std::unique_lock sleep(shared.mutex);
      state.wake_at = sent - limit;
      shared.changed.wait_until(sleep, deadline, room);
      state.wake_at = OneWay::kNobody;
    }
    return sent - state.completed.load() <= limit && state.failed.load() == 0;
  };
  // A full window refills by an eighth at a time: one wake-up per batch of completions, not per completion.
  const uint64_t refill = std::max<uint64_t>(1, options.window / 8);
  // The clock is read once per kStampEvery sends, and again after every wait: a message is timed from
  // the last reading before it, so its latency may be overstated by the time the few sends before it took
  // (microseconds, against a hundred or more), never understated. A reading per send cost a tenth of the
  // sending thread.
  constexpr uint64_t kStampEvery = 16;
  uint64_t stamp = 0, stamp_uses = 0;
  uint64_t sent = 0;
  uint64_t completed = 0;  // as last read: it only grows, so the window is at least as open as it says
  while (sent < options.count) {
    if (sent - completed >= options.window) {
      completed = state.completed.load();
      if (sent - completed >= options.window) {
        if (!wait_until_at_most(sent, options.window - refill)) break;
        stamp_uses = 0;
      }
    }
    if (state.failed.load() > 0) break;
    const uint64_t sequence = ++sent;
    if (stamp_uses-- == 0) {
      stamp = now_ns();
      stamp_uses = kStampEvery - 1;
    }
    state.sent_ns[sequence - 1] = stamp;
    communicator.send(peer, protocol::v1::data(0, padding), [&shared, sequence](const comm::SendResult& result) {
      OneWay& state = shared.one_way;
      if (result.delivered) {
        shared.stats.replied(sequence, std::chrono::nanoseconds(since_epoch_ns(result.acknowledged_at) -
                                                                state.sent_ns[sequence - 1]));
      } else {
        std::lock_guard guard(shared.mutex);
        if (shared.send_failure.empty()) shared.send_failure = result.reason;
        ++state.failed;
      }
      // Only the completion that reaches the sleeper's mark wakes it: the ones after it would queue on the
      // lock the waking sleeper holds.
      if ((++state.completed >= state.wake_at.load() && state.wake_at.exchange(OneWay::kNobody) != OneWay::kNobody) ||
          !result.delivered) {
        std::lock_guard guard(shared.mutex);
        shared.changed.notify_all();
      }
    });
  }
  // Every send completes exactly once, failed ones too: wait for all of them (or the deadline).
  {
    std::unique_lock sleep(shared.mutex);
    state.wake_at = sent;
    shared.changed.wait_until(sleep, deadline, [&] { return state.completed.load() >= sent; });
  }
  lock.lock();
  shared.stats.sent(sent);  // counted once here: a count both threads' cache lines shared cost more
  shared.completions_failed = state.failed.load();
  shared.completions = state.completed.load() - shared.completions_failed;
  return sent;
}

int ping(const PingOptions& options) {
  const auto config = options.config.load(false);
  if (!config) return exit_invalid;
  options.config.configure_logging(*config);
  // One way, every message in flight may wait in the link's queue at the same time: a window within
  // communication.message_queue_limit is never parked nor refused, so no admission needs watching.
  if (options.one_way && options.window > config->communication.message_queue_limit) {
    std::cerr << "error: --one-way --window " << options.window << " is above communication.message_queue_limit ("
              << config->communication.message_queue_limit << ")\n";
    return exit_invalid;
  }

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
        if (shared.round_trips) shared.round_trips->pump(shared);
        notify_driver(shared);
      },
      [&shared](const comm::ConnectionSummary& connection) {
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
      [&shared](const std::string&, const std::string& reason) {
        // The node left: replies still outstanding will never come.
        std::lock_guard lock(shared.mutex);
        if (shared.send_failure.empty()) shared.send_failure = reason;
        shared.changed.notify_all();
      });
  communicator.connect(options.to);

  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.timeout_s));
  std::unique_lock lock(shared.mutex);
  if (!reach_peer(lock, shared.changed, shared.peer, communicator, options.to, options.timeout_s)) return exit_runtime;
  const std::string peer = shared.peer.connection->peer_id;
  const std::vector<uint8_t> padding(options.size, 0x5a);
  const auto started = Clock::now();
  const uint64_t sent =
      options.one_way ? send_one_way(communicator, peer, padding, options, deadline, shared, lock)
                      : send_pings(communicator, peer, padding, options, config->communication.message_queue_limit,
                                   deadline, shared, lock);
  const auto elapsed = Clock::now() - started;
  // Every send completes exactly once; the last acknowledgements may trail the last replies.
  shared.changed.wait_until(lock, deadline, [&] { return shared.completions + shared.completions_failed >= sent; });
  const uint64_t completions = shared.completions;
  const double admission_wait_max_ms = milliseconds(shared.admission_wait_max);
  const auto connection = *shared.peer.connection;
  const std::string failure = shared.send_failure;
  lock.unlock();
  communicator.stop(std::chrono::milliseconds(1000));
  loop.stop();
  // No handler runs any more: the stats are this thread's alone.
  const auto summary = shared.stats.summary(elapsed);

  if (options.json)
    std::cout << json_summary(summary, completions, admission_wait_max_ms, connection);
  else
    print_text(summary, connection, options.one_way);
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
  command->add_flag("--one-way", options->one_way,
                    "Send DATA messages the node does not answer and count acknowledgements, not replies");
  command->add_flag("--json", options->json, "Print one JSON object");
  command->callback([options, &exit_status] { exit_status = ping(*options); });
}

}  // namespace ferry::cli
