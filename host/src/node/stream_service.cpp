#include "node/stream_service.hpp"

#include <spdlog/spdlog.h>

#include <cstring>
#include <map>
#include <set>
#include <type_traits>
#include <utility>

#include "handshake/text.hpp"
#include "log/logging.hpp"
#include "node/chunk_buffers.hpp"
#include "node/chunk_corruption.hpp"
#include "node/export_roots.hpp"
#include "node/session_driver.hpp"
#include "node/throughput_limit.hpp"
#include "node/worker_pool.hpp"
#include "protocol/messages_stream.hpp"
#include "runtime/event_loop.hpp"
#include "stream/crc32c.hpp"
#include "stream/session.hpp"
#include "util/uuid.hpp"

namespace ferry::node {

namespace {

std::string session_text(const stream::SessionId& id) { return handshake::to_string(id); }

stream::SessionId session_of(const stream::StreamMessage& message) {
  return std::visit([](const auto& m) { return m.session; }, message);
}

// A STREAM_CHUNK whose payload is arriving on a link. Its pieces are read into the chunk's buffer where
// the connection can (payload_target); others are copied there. The session's chunk check is computed
// over each piece as it arrives, while it is in the first-level cache: a CRC32C in the same pass as the
// piece's copy, where the copy is nearly free; or the chunk's XXH3-128 (chunk_xxh3).
struct Assembly {
  stream::Chunk chunk;
  std::shared_ptr<ChunkBuffer> payload;
  uint64_t filled = 0;
  stream::ChunkCheck check = stream::ChunkCheck::none;
  uint32_t crc = 0;
  std::optional<stream::Xxh3_128> hash{};
};

}  // namespace

struct StreamService::Core : DriverHost, std::enable_shared_from_this<Core> {
  Core(comm::Communicator& c, runtime::EventLoop& l, Options o)
      : communicator(c), loop(l), options(std::move(o)), exports(options.stream.export_roots),
        log(ferry::log::get("stream")), pool(options.workers) {}

  // --- DriverHost, under the lock -------------------------------------------------------------------
  void send(const std::string& peer, const stream::StreamMessage& message, comm::Payload payload,
            comm::Completion completion) override {
    protocol::streaming::Scratch scratch;
    const protocol::Message built = protocol::streaming::build(message, scratch);
    if (payload.empty())
      communicator.send(peer, built, std::move(completion));
    else
      communicator.send(peer, built, std::move(payload), std::move(completion));
  }
  void post_blocking(std::function<void()> task) override { pool.post(std::move(task)); }
  std::shared_ptr<SerialQueue> serial_queue() override { return std::make_shared<SerialQueue>(pool); }
  std::shared_ptr<ServiceLock> lock() override { return service_lock; }
  bool reserve_send_bytes(uint64_t bytes) override {
    if (send_in_use > 0 && send_in_use + bytes > kSendBytes) return false;
    send_in_use += bytes;
    return true;
  }
  void release_send_bytes(uint64_t bytes) override {
    send_in_use -= bytes;
    // Room for the sessions whose reads waited, in the order they started.
    for (auto& [id, driver] : drivers)
      if (driver->waiting_for_room() && !driver->resume_read()) break;
  }
  std::chrono::steady_clock::duration throttle(uint64_t bytes) override {
    return throughput.take(bytes, ThroughputLimit::Clock::now());
  }
  void after(std::chrono::steady_clock::duration delay, std::function<void()> work) override {
    loop.start_timer(std::chrono::ceil<std::chrono::milliseconds>(delay),
                     [lock = service_lock, work = std::move(work)](bool cancelled) {
                       if (!cancelled) lock->run(work);
                     });
  }
  std::shared_ptr<ChunkBuffer> send_buffer(uint64_t length) override { return send_buffers->take(length); }
  bool sends_from_memory(const std::string& peer) override { return sendfile_peers.count(peer) == 0; }
  bool before_chunk_sent(std::span<uint8_t> payload) override {
    if (!corruption || !corruption->corrupt(payload)) return false;
    log->warn("{}: corrupted a chunk of {} bytes on purpose", ChunkCorruption::kVariable, payload.size());
    return true;
  }
  void finished(SessionDriver& driver) override {
    const stream::SessionId id = driver.session().id();
    const SessionReport report = driver.report();
    if (report.state == stream::State::complete)
      log->info("session {} with peer {} COMPLETE: {} files and {} bytes sent, {} files and {} bytes received, {} retries, "
                "{} skipped",
                report.session, report.peer, report.files_sent, report.bytes_sent, report.files_received,
                report.bytes_received, report.retries, report.skipped);
    else
      log->warn("session {} with peer {} FAILED: {}", report.session, report.peer, report.reason);
    finished_reports[report.session] = report;
    if (finished_reports.size() > kFinishedKept) finished_reports.erase(finished_reports.begin());
    // Erased after this call returns: the driver is still running.
    loop.post([weak = weak_from_this(), id] {
      if (auto self = weak.lock()) self->service_lock->run([&] { self->drivers.erase(id); });
    });
  }

  // --- the communicator's handlers ------------------------------------------------------------------
  void on_message(const std::string& peer, uint32_t link, const protocol::MessageView& view) {
    service_lock->run([&] {
      // A payload still arriving here was cut off with its connection; it comes again, whole.
      assemblies.erase({peer, link});
      auto read = protocol::streaming::read(view);
      if (auto* wrong = std::get_if<std::string>(&read)) {
        const auto id = view.uuid_at(0);
        if (const auto found = drivers.find(id); found != drivers.end()) {
          found->second->session().fail("the peer sent a malformed message: " + *wrong);
          found->second->run();
        } else {
          log->warn("malformed streaming message from peer {}: {}", peer, *wrong);
        }
        return;
      }
      auto& message = std::get<stream::StreamMessage>(read);
      if (const auto* chunk = std::get_if<stream::Chunk>(&message); chunk && chunk->payload_length > 0) {
        const auto driver = drivers.find(chunk->session);
        Assembly assembly{*chunk, chunk_buffers->take(chunk->payload_length)};
        if (driver != drivers.end()) assembly.check = driver->second->session().chunk_check();
        if (assembly.check == stream::ChunkCheck::xxh3) assembly.hash.emplace();
        assemblies[{peer, link}] = std::move(assembly);
        return;
      }
      const stream::SessionId id = session_of(message);
      const auto found = drivers.find(id);
      if (found != drivers.end()) {
        if (found->second->peer() != peer) return;  // another node cannot speak for this session
        found->second->on_message(message);
        return;
      }
      if (const auto* prepare = std::get_if<stream::Prepare>(&message)) follow(peer, *prepare);
    });
  }

  void on_payload(const std::string& peer, uint32_t link, std::span<const uint8_t> piece) {
    service_lock->run([&] {
      const auto found = assemblies.find({peer, link});
      if (found == assemblies.end()) return;
      Assembly& assembly = found->second;
      std::vector<uint8_t>& bytes = assembly.payload->bytes;
      if (piece.size() > bytes.size() - assembly.filled) {
        // The communication layer hands over no more than a message announced: this is a bug, not the peer.
        log->error("peer {}: {} payload bytes for a chunk that has room for {}; the chunk is dropped", peer,
                   piece.size(), bytes.size() - assembly.filled);
        assemblies.erase(found);
        return;
      }
      uint8_t* to = bytes.data() + assembly.filled;
      // A piece read into this buffer elsewhere than its place (a codec that moves payload bytes) may
      // overlap where it goes.
      const bool in_place = piece.data() == to;
      const bool inside = piece.data() >= bytes.data() && piece.data() < bytes.data() + bytes.size();
      if (assembly.check == stream::ChunkCheck::crc32c && !in_place && !inside) {
        assembly.crc = stream::crc32c_extend_copy(assembly.crc, piece, to);
      } else {
        if (!piece.empty() && !in_place) std::memmove(to, piece.data(), piece.size());
        const std::span<const uint8_t> placed{to, piece.size()};
        if (assembly.check == stream::ChunkCheck::crc32c) assembly.crc = stream::crc32c_extend(assembly.crc, placed);
        if (assembly.hash) assembly.hash->update(placed);
      }
      assembly.filled += piece.size();
      if (assembly.filled < bytes.size()) return;
      Assembly done = std::move(assembly);
      assemblies.erase(found);
      stream::ArrivalChecks computed;
      if (done.check == stream::ChunkCheck::crc32c) computed.crc32c = done.crc;
      if (done.hash) computed.xxh3 = done.hash->finish();
      const auto driver = drivers.find(done.chunk.session);
      if (driver != drivers.end() && driver->second->peer() == peer)
        driver->second->on_chunk(done.chunk, std::move(done.payload), computed);
    });
  }

  comm::PayloadTarget payload_target(const std::string& peer, uint32_t link) {
    comm::PayloadTarget target;
    service_lock->run([&] {
      const auto found = assemblies.find({peer, link});
      if (found == assemblies.end()) return;
      Assembly& assembly = found->second;
      target.bytes = std::span(assembly.payload->bytes).subspan(assembly.filled);
      target.keep = assembly.payload;
    });
    return target;
  }

  stream::Settings settings_for(const std::string& peer) const {
    stream::Settings settings;
    settings.chunk_size = options.stream.chunk_size;
    settings.max_retries = options.stream.max_retries;
    settings.chunk_crc32c = crc_peers.count(peer) > 0;
    settings.skip_held_agreed = skip_held_peers.count(peer) > 0;
    settings.skip_held = settings.skip_held_agreed && options.stream.skip_held;
    settings.xxh3_digest = xxh3_peers.count(peer) > 0;
    settings.chunk_xxh3 = chunk_xxh3_peers.count(peer) > 0;
    return settings;
  }

  void follow(const std::string& peer, const stream::Prepare& prepare) {
    if (stopping) return;
    auto session = std::make_unique<stream::Session>(prepare.session, settings_for(peer));
    auto driver = std::make_shared<SessionDriver>(*this, peer, std::move(session), options.sink,
                                                  options.sink ? options.sink->name() : "", nullptr);
    drivers[prepare.session] = driver;
    log->info("session {} from peer {}: receiving {} files ({} bytes) into sink '{}', {} paths requested",
              session_text(prepare.session), peer, prepare.files, prepare.bytes,
              options.sink ? options.sink->name() : "", prepare.requests.size());
    driver->follow(prepare, exports);
  }

  void tick() {
    service_lock->run([&] {
      for (auto& [id, driver] : std::map(drivers)) {
        driver->session().on_tick();
        driver->run();
      }
    });
    schedule_tick();
  }

  void schedule_tick() {
    auto weak = weak_from_this();
    loop.start_timer(options.stream.keepalive_interval, [weak](bool cancelled) {
      if (cancelled) return;
      if (auto self = weak.lock()) self->tick();
    });
  }

  static constexpr size_t kFinishedKept = 1000;

  comm::Communicator& communicator;
  runtime::EventLoop& loop;
  Options options;
  ExportRoots exports;
  ThroughputLimit throughput{options.stream.throughput_limit, ThroughputLimit::Clock::now()};
  std::shared_ptr<spdlog::logger> log;
  std::shared_ptr<ServiceLock> service_lock = std::make_shared<ServiceLock>();
  std::map<stream::SessionId, std::shared_ptr<SessionDriver>> drivers;
  std::map<std::pair<std::string, uint32_t>, Assembly> assemblies;
  std::map<std::string, SessionReport> finished_reports;
  std::set<std::string> crc_peers;
  std::set<std::string> skip_held_peers;
  std::set<std::string> xxh3_peers;
  std::set<std::string> chunk_xxh3_peers;
  std::set<std::string> sendfile_peers;  // whose connection sends file chunks with sendfile
  std::optional<ChunkCorruption> corruption;  // test-only, from the environment
  // Received chunks not yet written by the sink; shared with the chunks, which may outlive this.
  std::shared_ptr<ChunkBuffers> chunk_buffers = std::make_shared<ChunkBuffers>();
  // Chunks read to be sent; shared with the payloads, which may outlive this.
  std::shared_ptr<ChunkBuffers> send_buffers = std::make_shared<ChunkBuffers>();
  uint64_t send_in_use = 0;
  bool stopping = false;
  WorkerPool pool;  // last: joined first, while what its tasks reach still exists
};

StreamService::StreamService(comm::Communicator& communicator, runtime::EventLoop& loop, Options options)
    : core_(std::make_shared<Core>(communicator, loop, std::move(options))) {
  std::string wrong;
  core_->corruption = ChunkCorruption::from_environment(wrong);
  if (!wrong.empty()) core_->log->error("{}", wrong);
  if (core_->corruption)
    core_->log->warn("{} is set: the first {} chunks this process sends are corrupted on purpose (a test setting)",
                     ChunkCorruption::kVariable, core_->corruption->remaining());
  core_->schedule_tick();
}

StreamService::~StreamService() {
  stop("this node is stopping");
  core_->service_lock->close();
}

void StreamService::attach() {
  auto core = core_;
  core->communicator.set_stream_handlers(
      [core](const std::string& peer, uint32_t link, const protocol::MessageView& message) {
        core->on_message(peer, link, message);
      },
      [core](const std::string& peer, uint32_t link, std::span<const uint8_t> piece) {
        core->on_payload(peer, link, piece);
      },
      [core](const std::string& peer, uint32_t link) { return core->payload_target(peer, link); });
  core->communicator.set_read_gate(
      [buffers = core->chunk_buffers] { return buffers->in_use() < kReceiveBytes; });
}

void StreamService::connected(const comm::ConnectionSummary& connection) {
  core_->service_lock->run([&] {
    const auto note = [&](std::set<std::string>& peers, const std::string& feature) {
      if (("," + connection.features + ",").find("," + feature + ",") != std::string::npos)
        peers.insert(connection.peer_id);
      else
        peers.erase(connection.peer_id);
    };
    note(core_->crc_peers, "data_crc32c");
    note(core_->skip_held_peers, "skip_held");
    note(core_->xxh3_peers, "xxh3_digest");
    note(core_->chunk_xxh3_peers, "chunk_xxh3");
    if (connection.sendfile)
      core_->sendfile_peers.insert(connection.peer_id);
    else
      core_->sendfile_peers.erase(connection.peer_id);
  });
}

void StreamService::departed(const std::string& peer_id, const std::string& reason) {
  core_->service_lock->run([&] {
    for (auto& [id, driver] : std::map(core_->drivers))
      if (driver->peer() == peer_id) {
        driver->session().fail(reason, false);
        driver->run();
      }
  });
}

std::string StreamService::start(const std::string& peer_id, std::vector<stream::SourceFile> sends,
                                 std::vector<std::string> requests, Finished on_finished) {
  stream::SessionId id = *handshake::parse_node_id(util::random_uuid());
  core_->service_lock->run([&] {
    uint64_t bytes = 0;
    for (const auto& file : sends) {
      if (file.ranges.empty()) bytes += file.size;
      for (const auto& range : file.ranges) bytes += range.length;
    }
    const uint64_t files = sends.size();
    auto session = std::make_unique<stream::Session>(id, core_->settings_for(peer_id), std::move(sends), std::move(requests));
    auto driver = std::make_shared<SessionDriver>(*core_, peer_id, std::move(session), core_->options.sink,
                                                  core_->options.sink ? core_->options.sink->name() : "",
                                                  std::move(on_finished));
    driver->set_totals(files, bytes);
    core_->drivers[id] = driver;
    driver->session().start();
    driver->run();
  });
  return session_text(id);
}

std::optional<SessionReport> StreamService::report(const std::string& session) const {
  std::optional<SessionReport> found;
  core_->service_lock->run([&] {
    for (const auto& [id, driver] : core_->drivers)
      if (session_text(id) == session) found = driver->report();
    if (!found)
      if (const auto it = core_->finished_reports.find(session); it != core_->finished_reports.end()) found = it->second;
  });
  return found;
}

std::vector<SessionReport> StreamService::sessions() const {
  std::vector<SessionReport> reports;
  core_->service_lock->run([&] {
    for (const auto& [id, report] : core_->finished_reports) reports.push_back(report);
    for (const auto& [id, driver] : core_->drivers) {
      SessionReport report = driver->report();
      if (!core_->finished_reports.contains(report.session)) reports.push_back(std::move(report));
    }
  });
  return reports;
}

void StreamService::stop(const std::string& reason) {
  core_->service_lock->run([&] {
    core_->stopping = true;
    for (auto& [id, driver] : std::map(core_->drivers)) {
      driver->session().fail(reason);
      driver->run();
    }
  });
}

}  // namespace ferry::node
