#include "node/burn_in.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>
#include <system_error>

#include "log/logging.hpp"
#include "protocol/messages_v1.hpp"
#include "runtime/event_loop.hpp"

namespace ferry::node {
namespace {

constexpr auto kTick = std::chrono::milliseconds(20);
constexpr auto kReportEvery = std::chrono::seconds(1);
// After a failed send, how long to wait for the peer to connect again before trying anyway (a send can
// fail while the connection stays up, e.g. a full queue with communication.queue_full = "error").
constexpr auto kRetryPause = std::chrono::milliseconds(500);

}  // namespace

BurnIn::BurnIn(comm::Communicator& communicator, runtime::EventLoop& loop, Options options)
    : communicator_(communicator), loop_(loop), options_(std::move(options)), log_(ferry::log::get("ferry")) {}

std::shared_ptr<BurnIn> BurnIn::start(comm::Communicator& communicator, runtime::EventLoop& loop, Options options) {
  std::shared_ptr<BurnIn> burn_in(new BurnIn(communicator, loop, std::move(options)));
  const auto& file = burn_in->options_.positions_file;
  if (std::ifstream in(file); in) {
    std::stringstream text;
    text << in.rdbuf();
    if (const auto restored = burn_in->receiver_.restore(text.str()))
      burn_in->log_->info("burn-in: restored the positions of {} streams from {}", *restored, file.string());
    else
      burn_in->log_->warn("burn-in: {} is not a positions file; starting every stream at 1", file.string());
    // Used once: after a crash, stale positions would hide what the crashed run received.
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
  }
  burn_in->log_->info("burn-in: sending {} messages per second to every peer on stream {}", burn_in->options_.rate,
                      burn_in->options_.stream);
  burn_in->last_tick_ = burn_in->last_report_ = std::chrono::steady_clock::now();
  burn_in->schedule();
  return burn_in;
}

void BurnIn::schedule() {
  loop_.start_timer(kTick, [weak = weak_from_this()](bool cancelled) {
    if (cancelled) return;
    if (auto self = weak.lock()) self->tick();
  });
}

void BurnIn::connected(const comm::ConnectionSummary& connection) {
  std::lock_guard lock(mutex_);
  Peer& peer = peers_[connection.peer_id];
  peer.name = connection.peer_name;
  peer.departed = false;
  peer.sender.resume();
}

void BurnIn::departed(const std::string& peer_id) {
  std::lock_guard lock(mutex_);
  if (const auto it = peers_.find(peer_id); it != peers_.end()) it->second.departed = true;
}

bool BurnIn::receive(const std::string& peer_id, const protocol::MessageView& message) {
  if (message.type() != FERRY_MSG_DATA) return false;
  const auto data = protocol::v1::read_data(message);
  if (data.channel != kBurnInChannel) return false;
  const auto decoded = decode_burn_in(data.body);
  std::lock_guard lock(mutex_);
  if (!decoded) {
    log_->warn("burn-in from '{}': a message of {} bytes, expected 16", name_of(peer_id), data.body.size());
    return true;
  }
  const auto verdict = receiver_.receive(peer_id, *decoded);
  if (verdict == BurnInReceiver::Verdict::duplicated)
    log_->error("burn-in from '{}': message {} of stream {} was delivered twice", name_of(peer_id), decoded->sequence,
                decoded->stream);
  if (verdict == BurnInReceiver::Verdict::lost)
    log_->error("burn-in from '{}': stream {} skipped to {}: messages lost", name_of(peer_id), decoded->stream,
                decoded->sequence);
  return true;
}

void BurnIn::tick() {
  std::lock_guard lock(mutex_);
  if (stopped_) return;
  const auto now = std::chrono::steady_clock::now();
  credit_ += options_.rate * std::chrono::duration<double>(now - last_tick_).count();
  last_tick_ = now;
  const auto budget = static_cast<size_t>(credit_);
  credit_ -= static_cast<double>(budget);
  for (auto& [peer_id, peer] : peers_) {
    if (peer.sender.paused() && !peer.departed && now - peer.paused_at >= kRetryPause) peer.sender.resume();
    send_to(peer_id, peer, budget);
  }
  if (now - last_report_ >= kReportEvery) {
    last_report_ = now;
    report("");
  }
  schedule();
}

void BurnIn::send_to(const std::string& peer_id, Peer& peer, size_t budget) {
  for (const uint64_t sequence : peer.sender.take(budget, options_.window)) {
    const auto body = encode_burn_in({options_.stream, sequence});
    communicator_.send(peer_id, protocol::v1::data(kBurnInChannel, body),
                       [weak = weak_from_this(), peer_id, sequence](const comm::SendResult& result) {
                         if (auto self = weak.lock()) self->completed(peer_id, sequence, result);
                       });
  }
}

void BurnIn::completed(const std::string& peer_id, uint64_t sequence, const comm::SendResult& result) {
  std::lock_guard lock(mutex_);
  Peer& peer = peers_[peer_id];
  const bool was_paused = peer.sender.paused();
  peer.sender.completed(sequence, result.delivered);
  if (result.delivered || stopped_) return;
  peer.paused_at = std::chrono::steady_clock::now();
  if (!was_paused)
    log_->info("burn-in to '{}': message {} failed ({}); it and what follows are sent again once the peer is back",
               name_of(peer_id), sequence, result.reason);
}

void BurnIn::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
}

void BurnIn::finish() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  report(" at stop");
  std::ofstream out(options_.positions_file, std::ios::trunc);
  if (!(out << receiver_.positions()) || !out.flush())
    log_->warn("burn-in: cannot save positions to {}; the next run will count this run's messages as lost",
               options_.positions_file.string());
}

void BurnIn::report(const char* when) {
  for (const auto& [peer_id, peer] : peers_) {
    const BurnInSender& s = peer.sender;
    log_->info("burn-in to '{}' ({}){}: stream {}, sent {}, acknowledged {}, resent {}, in flight {}, to resend {}",
               peer.name, peer_id, when, options_.stream, s.sent(), s.acknowledged(), s.resent(), s.in_flight(),
               s.retrying());
  }
  for (const auto& [key, stream] : receiver_.streams()) {
    if (stream.accepted == 0 && stream.resent == 0) continue;  // restored, and nothing of it seen by this run
    log_->info("burn-in from '{}' ({}){}: stream {}, through {}, resent after a restart {}, duplicated {}, lost {}",
               name_of(key.first), key.first, when, key.second, stream.next - 1, stream.resent, stream.duplicated,
               stream.lost);
  }
}

std::string BurnIn::name_of(const std::string& peer_id) const {
  const auto it = peers_.find(peer_id);
  return it == peers_.end() || it->second.name.empty() ? peer_id : it->second.name;
}

}  // namespace ferry::node
