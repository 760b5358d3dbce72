// One streaming session, as one side sees it: the state machine of docs/streaming.md, sans-I/O.
//
//   INITIALIZED -> PREPARING -> STREAMING -> WAIT_COMPLETE -> COMPLETE, or FAILED from any state but COMPLETE
//
// The initiator starts it (start) with the files it sends and the paths it requests; the follower is made
// from the initiator's STREAM_PREPARE (follow) and resolves the requests through its export-roots check.
// Inputs are messages from the peer, chunk payload pieces, sink results, source reads and timer ticks;
// outputs are taken with take_effects (messages, sink calls, states entered) and, for the data a side
// sends, pulled with next_send. Not thread-safe: one driver calls it from one thread at a time.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "stream/receive_side.hpp"
#include "stream/send_side.hpp"
#include "stream/session_types.hpp"

namespace ferry::stream {

class Session {
 public:
  // The initiator's side, in INITIALIZED until start.
  Session(SessionId id, Settings settings, std::vector<SourceFile> sends, std::vector<std::string> requests);
  // The follower's side, in INITIALIZED until follow.
  Session(SessionId id, Settings settings);

  // Initiator: sends STREAM_PREPARE and enters PREPARING.
  void start();
  // Follower: handles the initiator's STREAM_PREPARE: PREPARING, then STREAMING after STREAM_PREPARE_ACK, or
  // FAILED when a request is refused.
  void follow(const Prepare& prepare, ExportResolver& exports);

  // A message from the peer for this session (a STREAM_PREPARE goes to follow instead). A Chunk's payload
  // then arrives through on_payload before any other message. computed: the checks the caller computed as
  // the bytes arrived (ArrivalChecks), which are then not computed again; what it lacks, the session
  // computes.
  void on_message(const StreamMessage& message);
  void on_payload(std::span<const uint8_t> bytes, const ArrivalChecks& computed = {});
  void on_sink_result(const SinkResult& result);
  // A timer tick, every keep-alive interval: sends STREAM_KEEPALIVE when this side was silent since the
  // last tick, and fails the session when the peer was silent for settings.silent_ticks_limit ticks.
  void on_tick();
  // Fails the session from outside (a user's cancel, the link to the peer failed for good); tells the peer
  // when notify_peer.
  void fail(const std::string& reason, bool notify_peer = true);

  // The sender's data path: what to send next, when the driver has room (nullopt: nothing now).
  std::optional<SendStep> next_send();
  // The bytes read for a ReadChunk; the chunk header to send with them as the payload, or nullopt when the
  // attempt was dropped meanwhile. A short or misplaced read fails the session. hash: the bytes'
  // chunk_hash, when the driver computed it as it read them (chunk_xxh3; the session computes it if not).
  std::optional<Chunk> chunk_read(uint64_t file, uint64_t attempt, uint64_t offset, std::span<const uint8_t> bytes,
                                  const std::optional<Digest>& hash = std::nullopt);
  // How this session checks chunks: a driver may compute the checks as it reads or receives the bytes.
  ChunkCheck chunk_check() const { return chunk_check_of(settings_); }
  // The SHA-256 a HashFile step asked for (skip_held).
  void file_hashed(uint64_t file, uint64_t attempt, Digest digest);
  // The driver cannot read a source file: the session fails, naming it.
  void source_failed(const std::string& reason) { fail(reason); }

  Effects take_effects();

  const SessionId& id() const { return id_; }
  Role role() const { return role_; }
  State state() const { return state_; }
  const std::string& failure_reason() const { return failure_; }
  uint64_t retries() const { return sends_.retries() + receives_.retries(); }
  uint64_t bytes_received() const { return receives_.bytes_received(); }
  // Files not moved because the receiving sink held them: those this side sent and those it received.
  uint64_t files_skipped() const { return sends_.skipped() + receives_.skipped(); }
  uint64_t files_sent() const { return sends_.files_sent(); }
  uint64_t files_received() const { return receives_.files_received(); }
  // The data bytes of the files this side did not send because the peer's sink held them.
  uint64_t send_bytes_skipped() const { return sends_.skipped_bytes(); }
  uint64_t bytes_skipped() const { return sends_.skipped_bytes() + receives_.skipped_bytes(); }
  bool finished() const { return state_ == State::complete || state_ == State::failed; }

 private:
  void enter(State state);
  void send(StreamMessage message);
  void on_prepare_ack(const PrepareAck& ack);
  void on_complete();
  void maybe_complete();
  void fail_if(const std::string& reason);
  void expect_streaming(const char* message_name);

  SessionId id_;
  Role role_;
  Settings settings_;
  State state_ = State::initialized;
  std::vector<std::string> requests_;
  uint64_t max_retries_;
  SendSide sends_;
  ReceiveSide receives_;
  bool peer_complete_ = false;
  bool sent_complete_ = false;
  bool heard_since_tick_ = false;
  bool sent_since_tick_ = false;
  uint32_t silent_ticks_ = 0;
  std::string failure_;
  Effects effects_;
};

}  // namespace ferry::stream
