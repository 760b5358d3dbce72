#include "stream/session.hpp"

#include <type_traits>
#include <utility>

namespace ferry::stream {

namespace {

// The bound of stream.max_retries (docs/configuration.md): a follower refuses a prepare above it.
constexpr uint64_t kMaxRetriesLimit = 100;

}  // namespace

const char* state_name(State state) {
  switch (state) {
    case State::initialized:
      return "INITIALIZED";
    case State::preparing:
      return "PREPARING";
    case State::streaming:
      return "STREAMING";
    case State::wait_complete:
      return "WAIT_COMPLETE";
    case State::complete:
      return "COMPLETE";
    case State::failed:
      return "FAILED";
  }
  return "?";
}

Session::Session(SessionId id, Settings settings, std::vector<SourceFile> sends, std::vector<std::string> requests)
    : id_(id),
      role_(Role::initiator),
      settings_(settings),
      requests_(std::move(requests)),
      max_retries_(settings.max_retries),
      sends_(id, std::move(sends), settings),
      receives_(id, settings) {}

Session::Session(SessionId id, Settings settings)
    : id_(id),
      role_(Role::follower),
      settings_(settings),
      max_retries_(settings.max_retries),
      sends_(id, {}, settings),
      receives_(id, settings) {}

void Session::enter(State state) {
  state_ = state;
  effects_.states.push_back(state);
}

void Session::send(StreamMessage message) {
  effects_.messages.push_back(std::move(message));
  sent_since_tick_ = true;
}

Effects Session::take_effects() { return std::exchange(effects_, Effects{}); }

void Session::start() {
  if (role_ != Role::initiator || state_ != State::initialized) return;
  send(Prepare{id_, sends_.file_count(), sends_.total_bytes(), requests_, max_retries_});
  enter(State::preparing);
}

void Session::follow(const Prepare& prepare, ExportResolver& exports) {
  if (role_ != Role::follower || state_ != State::initialized) return;
  enter(State::preparing);
  heard_since_tick_ = true;
  if (prepare.max_retries > kMaxRetriesLimit)
    return fail("the initiator asks for max_retries " + std::to_string(prepare.max_retries) + ", above " +
                std::to_string(kMaxRetriesLimit));
  max_retries_ = prepare.max_retries;
  std::vector<SourceFile> files;
  for (const std::string& request : prepare.requests) {
    auto resolved = exports.resolve(request);
    if (auto* refusal = std::get_if<std::string>(&resolved)) return fail(*refusal);
    for (SourceFile& file : std::get<std::vector<SourceFile>>(resolved)) files.push_back(std::move(file));
  }
  sends_ = SendSide(id_, std::move(files), settings_);
  receives_.expect(prepare.files, max_retries_);
  send(PrepareAck{id_, sends_.file_count(), sends_.total_bytes()});
  enter(State::streaming);
  maybe_complete();
}

void Session::fail_if(const std::string& reason) {
  if (!reason.empty()) fail(reason);
}

void Session::fail(const std::string& reason, bool notify_peer) {
  if (finished()) return;
  failure_ = reason;
  receives_.abort_open_files(effects_);
  if (notify_peer) send(Failed{id_, reason});
  enter(State::failed);
}

void Session::expect_streaming(const char* message_name) {
  if (state_ != State::streaming && state_ != State::wait_complete)
    fail(std::string("the peer sent ") + message_name + " in state " + state_name(state_));
}

void Session::on_message(const StreamMessage& message) {
  if (finished()) return;
  heard_since_tick_ = true;
  if (receives_.in_payload()) return fail("the peer sent a message inside a chunk's payload");
  std::visit(
      [this](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Prepare>) {
          fail("the peer sent STREAM_PREPARE for a session that exists");
        } else if constexpr (std::is_same_v<T, PrepareAck>) {
          on_prepare_ack(m);
        } else if constexpr (std::is_same_v<T, FileHeader>) {
          expect_streaming("STREAM_FILE");
          if (!finished()) fail_if(receives_.on_file(m, effects_));
        } else if constexpr (std::is_same_v<T, Chunk>) {
          expect_streaming("STREAM_CHUNK");
          if (!finished()) fail_if(receives_.on_chunk(m, effects_));
        } else if constexpr (std::is_same_v<T, FileDone>) {
          expect_streaming("STREAM_FILE_DONE");
          if (!finished()) fail_if(receives_.on_file_done(m, effects_));
        } else if constexpr (std::is_same_v<T, Retry>) {
          expect_streaming("STREAM_RETRY");
          if (!finished()) fail_if(sends_.on_retry(m, max_retries_));
        } else if constexpr (std::is_same_v<T, FileCommitted>) {
          expect_streaming("STREAM_FILE_COMMITTED");
          if (!finished()) fail_if(sends_.on_committed(m));
        } else if constexpr (std::is_same_v<T, FileChecked>) {
          expect_streaming("STREAM_FILE_CHECKED");
          if (!finished()) fail_if(sends_.on_checked(m));
        } else if constexpr (std::is_same_v<T, Complete>) {
          on_complete();
        } else if constexpr (std::is_same_v<T, Failed>) {
          fail("the peer failed the session: " + m.reason, false);
        }
      },
      message);
  maybe_complete();
}

void Session::on_prepare_ack(const PrepareAck& ack) {
  if (role_ != Role::initiator || state_ != State::preparing)
    return fail(std::string("the peer sent STREAM_PREPARE_ACK in state ") + state_name(state_));
  receives_.expect(ack.files, max_retries_);
  enter(State::streaming);
}

void Session::on_complete() {
  expect_streaming("STREAM_COMPLETE");
  if (finished()) return;
  if (peer_complete_) return fail("the peer sent STREAM_COMPLETE twice");
  if (!sends_.all_committed())
    return fail("the peer sent STREAM_COMPLETE before committing every file this side sends");
  peer_complete_ = true;
}

void Session::maybe_complete() {
  if (state_ != State::streaming && state_ != State::wait_complete) return;
  if (!sent_complete_ && sends_.all_committed() && receives_.all_committed()) {
    send(Complete{id_});
    sent_complete_ = true;
  }
  if (sent_complete_ && peer_complete_)
    enter(State::complete);
  else if ((sent_complete_ || peer_complete_) && state_ != State::wait_complete)
    enter(State::wait_complete);
}

void Session::on_payload(std::span<const uint8_t> bytes, const ArrivalChecks& computed) {
  if (finished()) return;
  heard_since_tick_ = true;
  fail_if(receives_.on_payload(bytes, computed, effects_));
  maybe_complete();
}

void Session::on_sink_result(const SinkResult& result) {
  if (finished()) return;
  fail_if(receives_.on_sink_result(result, effects_));
  maybe_complete();
}

void Session::on_tick() {
  if (state_ != State::preparing && state_ != State::streaming && state_ != State::wait_complete) return;
  silent_ticks_ = heard_since_tick_ ? 0 : silent_ticks_ + 1;
  heard_since_tick_ = false;
  if (silent_ticks_ >= settings_.silent_ticks_limit)
    return fail("no message from the peer for " + std::to_string(silent_ticks_) + " keep-alive intervals");
  if (!sent_since_tick_) send(KeepAlive{id_});
  sent_since_tick_ = false;
}

std::optional<SendStep> Session::next_send() {
  if (state_ != State::streaming && state_ != State::wait_complete) return std::nullopt;
  std::optional<SendStep> step = sends_.next_send();
  if (step) sent_since_tick_ = true;
  // A held file's STREAM_FILE_DONE may be the last thing this side's sending waited for; its
  // STREAM_COMPLETE goes out after it, among the effects the driver takes next.
  if (step && std::holds_alternative<FileDone>(*step)) maybe_complete();
  return step;
}

void Session::file_hashed(uint64_t file, uint64_t attempt, Digest digest) {
  if (finished()) return;
  sends_.file_hashed(file, attempt, std::move(digest));
}

std::optional<Chunk> Session::chunk_read(uint64_t file, uint64_t attempt, uint64_t offset,
                                         std::span<const uint8_t> bytes, const std::optional<Digest>& hash) {
  if (finished()) return std::nullopt;
  auto result = sends_.chunk_read(file, attempt, offset, bytes, hash);
  if (auto* wrong = std::get_if<std::string>(&result)) {
    fail(*wrong);
    return std::nullopt;
  }
  auto chunk = std::get<std::optional<Chunk>>(result);
  if (chunk) sent_since_tick_ = true;
  return chunk;
}

}  // namespace ferry::stream
