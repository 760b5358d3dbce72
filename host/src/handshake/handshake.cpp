#include "handshake/handshake.hpp"

#include <algorithm>
#include <utility>

#include "handshake/frame_codec.hpp"
#include "handshake/initiator.hpp"
#include "handshake/responder.hpp"
#include "handshake/text.hpp"
#include "handshake/wire.hpp"

namespace ferry::handshake {
namespace {

constexpr size_t peer_reason_bytes = 1024;

std::string duration_text(std::chrono::milliseconds limit) {
  const auto ms = limit.count();
  return ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

void append(std::vector<uint8_t>& out, const std::vector<uint8_t>& bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace

Handshake::Handshake(std::shared_ptr<const LocalNode> local, const HostState& host, const Nonce& nonce, State state)
    : local_(std::move(local)), host_(&host), nonce_(nonce), state_(state) {}

Handshake Handshake::responder(std::shared_ptr<const LocalNode> local, const HostState& host, const Nonce& nonce) {
  Handshake handshake(std::move(local), host, nonce, State::awaiting_request);
  handshake.unsent_ = encode(make_identify(*handshake.local_, nonce));
  return handshake;
}

Handshake Handshake::initiator(std::shared_ptr<const LocalNode> local, const HostState& host, const Nonce& nonce,
                               Target target) {
  Handshake handshake(std::move(local), host, nonce, State::awaiting_identify);
  handshake.target_ = target;
  return handshake;
}

Step Handshake::feed(std::span<const uint8_t> bytes) {
  Step step{std::exchange(unsent_, {}), std::nullopt};
  while (!bytes.empty() && !finished()) {
    ReadStep read = reader_.read(bytes);
    bytes = bytes.subspan(read.consumed);
    if (read.error)
      refuse({RefuseCode::protocol_error, read.error->reason}, step, true);
    else if (read.frame)
      on_frame(*read.frame, bytes, step);
  }
  return step;
}

Step Handshake::expire(std::chrono::milliseconds limit) {
  Step step{std::exchange(unsent_, {}), std::nullopt};
  if (finished()) return step;
  refuse({RefuseCode::handshake_timeout,
          "handshake not finished within " + duration_text(limit) + " (waiting for " + awaited() + ")"},
         step, true);
  return step;
}

Step Handshake::end_of_stream() {
  unsent_.clear();
  Step step;
  if (finished()) return step;
  std::string reason = "the peer closed the connection while this node waited for " + awaited();
  if (reader_.pending() > 0) reason += " (" + std::to_string(reader_.pending()) + " bytes into a frame)";
  refuse({RefuseCode::protocol_error, reason}, step, false);
  return step;
}

Step Handshake::refuse_now(Refuse refusal, bool send) {
  unsent_.clear();
  Step step;
  if (!finished()) refuse(std::move(refusal), step, send);
  return step;
}

std::optional<Refuse> Handshake::check_identity() const {
  if (!identity_check_) return std::nullopt;
  if (auto reason = identity_check_(*peer_)) return Refuse{RefuseCode::identity_mismatch, *reason};
  return std::nullopt;
}

void Handshake::on_frame(const Frame& frame, std::span<const uint8_t> rest, Step& step) {
  if (peer_version_ == 0) peer_version_ = std::min(frame.version, handshake_version);
  const uint16_t expected = state_ == State::awaiting_identify  ? frame_type::identify
                            : state_ == State::awaiting_request ? frame_type::request
                                                                : frame_type::accept;
  if (frame.type == frame_type::refuse) return on_refuse(frame, step);
  if (frame.type == expected) {
    if (state_ == State::awaiting_identify) return on_identify(frame, step);
    if (state_ == State::awaiting_request) return on_request(frame, rest, step);
    return on_accept(frame, rest, step);
  }
  const bool known = frame.type >= frame_type::identify && frame.type <= frame_type::refuse;
  if (!known && (frame.type & frame_type::ignorable_bit)) return;  // a later release's advisory frame
  refuse({RefuseCode::protocol_error, "expected " + frame_type_name(expected) + ", got " + frame_type_name(frame.type) +
                                          " (handshake version " + std::to_string(frame.version) + ")"},
         step, true);
}

void Handshake::on_identify(const Frame& frame, Step& step) {
  auto identify = decode_identify(frame.body);
  if (!identify) return refuse({RefuseCode::protocol_error, identify.error().reason}, step, true);
  const Identify& peer = identify.value();
  peer_ = Peer{peer.node_id, peer.node_name, peer.incarnation};
  if (auto refusal = check_identify(*local_, target_.expected_peer, peer)) return refuse(*refusal, step, true);
  if (auto refusal = check_secret_asked(*local_, peer)) return refuse(*refusal, step, true);
  if (auto refusal = check_identity()) return refuse(*refusal, step, true);

  const Progress progress = host_->progress(peer.node_id, target_.connection_index);
  request_ = make_request(*local_, target_.connection_index, progress, nonce_);
  proof_context_ = {peer.nonce, nonce_, peer.node_id, local_->id};
  if (!local_->cluster_secret.empty())
    request_.proof = secret_proof(local_->cluster_secret, Role::initiator, proof_context_);
  received_ = progress.incarnation == peer.incarnation ? progress.received : 0;
  append(step.send, encode(request_));
  state_ = State::awaiting_accept;
}

void Handshake::on_request(const Frame& frame, std::span<const uint8_t> rest, Step& step) {
  auto decoded = decode_request(frame.body);
  if (!decoded) return refuse({RefuseCode::protocol_error, decoded.error().reason}, step, true);
  const Request& request = decoded.value();
  peer_ = Peer{request.node_id, request.node_name, request.incarnation};
  proof_context_ = {nonce_, request.nonce, local_->id, request.node_id};
  if (auto refusal = check_initiator_proof(*local_, request, proof_context_)) return refuse(*refusal, step, true);
  if (auto refusal = check_identity()) return refuse(*refusal, step, true);
  auto decision = evaluate_request(*local_, request, *host_);
  if (auto* refusal = std::get_if<Refuse>(&decision)) return refuse(*refusal, step, true);

  Accept& accept = std::get<Accept>(decision);
  if (!local_->cluster_secret.empty())
    accept.proof = secret_proof(local_->cluster_secret, Role::responder, proof_context_);
  append(step.send, encode(accept));
  state_ = State::finished;
  step.outcome =
      Accepted{*peer_,
               request.connection_index,
               accept.received,
               peer_received(*local_, request),
               {peer_version_, accept.responder_codec, accept.initiator_codec, accept.mode, accept.agreed_features},
               {rest.begin(), rest.end()},
               request.listen_address};
}

void Handshake::on_accept(const Frame& frame, std::span<const uint8_t> rest, Step& step) {
  // The responder switched to its codec when it sent ACCEPT: a REFUSE now would reach its codec as garbage.
  auto decoded = decode_accept(frame.body);
  if (!decoded) return refuse({RefuseCode::protocol_error, decoded.error().reason}, step, false);
  const Accept& accept = decoded.value();
  if (auto refusal = check_responder_proof(*local_, accept, proof_context_)) return refuse(*refusal, step, false);
  if (auto refusal = check_accept(*local_, request_, accept)) return refuse(*refusal, step, false);

  state_ = State::finished;
  step.outcome =
      Accepted{*peer_,
               target_.connection_index,
               received_,
               accept.received,
               {peer_version_, accept.initiator_codec, accept.responder_codec, accept.mode, accept.agreed_features},
               {rest.begin(), rest.end()},
               {}};
}

void Handshake::on_refuse(const Frame& frame, Step& step) {
  auto decoded = decode_refuse(frame.body);
  Refuse refusal = decoded ? std::move(decoded).value()
                           : Refuse{RefuseCode::protocol_error, "the peer refused, but " + decoded.error().reason};
  refusal.reason = printable(refusal.reason, peer_reason_bytes);
  state_ = State::finished;
  step.outcome = Refused{std::move(refusal), Side::peer, peer_};
}

void Handshake::refuse(Refuse refusal, Step& step, bool send) {
  if (send) append(step.send, encode(refusal));
  state_ = State::finished;
  step.outcome = Refused{std::move(refusal), Side::local, peer_};
}

std::string Handshake::awaited() const {
  if (state_ == State::awaiting_identify) return "IDENTIFY";
  if (state_ == State::awaiting_request) return "REQUEST";
  return "ACCEPT";
}

}  // namespace ferry::handshake
