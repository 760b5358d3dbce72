// Handshake: the node handshake of one connection, for either role, as a sans-I/O state machine. The
// caller owns the socket and the clock: it writes what a Step says to send, feeds what it reads, enforces
// communication.handshake_timeout by calling expire(), and reports the peer closing with end_of_stream().
//
//   responder                              initiator
//     start() -> IDENTIFY  ------------->    feed() -> check_identify, REQUEST
//     feed()  -> evaluate_request  <-----
//             -> ACCEPT or REFUSE  ------>   feed() -> check_accept -> Accepted / Refused
//
// Every Step may carry bytes to send and, once, the outcome: Accepted (with the negotiated terms and the
// bytes that followed the last handshake frame: the first codec bytes, which belong to the caller), or
// Refused. When this node refuses, the REFUSE frame is in the same Step: send it, then close. Refusing an
// ACCEPT is the one exception: the responder has already switched to its codec, so nothing is sent.
//
// Lifetime and threads: the HostState must outlive the Handshake; the LocalNode is shared, so a reload
// may replace the node's copy at any time. One thread at a time per Handshake.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "handshake/frame_reader.hpp"
#include "handshake/frames.hpp"
#include "handshake/local_node.hpp"
#include "handshake/secret_proof.hpp"

namespace ferry::handshake {

struct Peer {
  NodeId id{};
  std::string name;
  uint64_t incarnation = 0;
  bool operator==(const Peer&) const = default;
};

struct Agreement {
  uint16_t handshake_version = 0;  // the lower of both sides' versions
  Version local_codec;             // the codec this node speaks
  Version peer_codec;              // the codec the peer speaks
  Mode mode = Mode::stable;
  uint64_t features = 0;
  bool operator==(const Agreement&) const = default;
};

struct Accepted {
  Peer peer;
  uint64_t connection_index = 0;
  uint64_t received = 0;       // what this node has received from the peer on this index (it told the peer)
  uint64_t peer_received = 0;  // what the peer has received from this node: resend what follows
  Agreement agreement;
  std::vector<uint8_t> leftover;  // bytes after the last handshake frame, for the codec
  std::string peer_listen_address;  // the initiator's listen address, as it gave it (responder side only)
};

enum class Side { local, peer };

struct Refused {
  Refuse refusal;  // a peer's reason is made printable (control characters escaped, cut at 1024 bytes)
  Side by = Side::local;
  std::optional<Peer> peer;  // when the peer had identified itself
};

using Outcome = std::variant<Accepted, Refused>;

struct Step {
  std::vector<uint8_t> send;
  std::optional<Outcome> outcome;  // set once; afterwards every call returns an empty Step
};

class Handshake {
 public:
  struct Target {
    std::optional<NodeId> expected_peer;  // the node that should answer at this address; nullopt = any
    uint64_t connection_index = 0;
  };

  static Handshake responder(std::shared_ptr<const LocalNode> local, const HostState& host, const Nonce& nonce);
  static Handshake initiator(std::shared_ptr<const LocalNode> local, const HostState& host, const Nonce& nonce,
                             Target target);

  // What to send as soon as the connection is open: IDENTIFY for a responder, nothing for an initiator.
  // (Any later Step also carries it if start() was skipped.)
  Step start() { return feed({}); }
  // Bytes read from the peer, split anywhere. Bytes after the final frame go to Accepted::leftover.
  Step feed(std::span<const uint8_t> bytes);
  // The deadline passed: handshake_timeout, naming the limit and the frame still awaited.
  Step expire(std::chrono::milliseconds limit);
  // The peer closed the connection.
  Step end_of_stream();
  // The layer under the handshake (TLS) refused the connection before the handshake ran; send: whether
  // the REFUSE frame goes to the peer (possible only in the clear).
  Step refuse_now(Refuse refusal, bool send);

  // Checks, once the peer has said who it is, that its TLS certificate names it: nullopt when it does,
  // else why not, which refuses the connection with identity_mismatch. Set before the first feed().
  using IdentityCheck = std::function<std::optional<std::string>(const Peer&)>;
  void check_identity_with(IdentityCheck check) { identity_check_ = std::move(check); }

  bool finished() const { return state_ == State::finished; }

 private:
  enum class State { awaiting_identify, awaiting_request, awaiting_accept, finished };

  Handshake(std::shared_ptr<const LocalNode> local, const HostState& host, const Nonce& nonce, State state);
  void on_frame(const Frame& frame, std::span<const uint8_t> rest, Step& step);
  void on_identify(const Frame& frame, Step& step);
  void on_request(const Frame& frame, std::span<const uint8_t> rest, Step& step);
  void on_accept(const Frame& frame, std::span<const uint8_t> rest, Step& step);
  void on_refuse(const Frame& frame, Step& step);
  void refuse(Refuse refusal, Step& step, bool send);
  std::optional<Refuse> check_identity() const;
  std::string awaited() const;

  std::shared_ptr<const LocalNode> local_;
  const HostState* host_;
  Nonce nonce_;
  State state_;
  Target target_;
  FrameReader reader_;
  std::vector<uint8_t> unsent_;
  uint16_t peer_version_ = 0;
  std::optional<Peer> peer_;
  IdentityCheck identity_check_;
  Request request_;        // the initiator's REQUEST, kept to check the ACCEPT against
  ProofContext proof_context_;
  uint64_t received_ = 0;  // the initiator's count as the responder will apply it
};

}  // namespace ferry::handshake
