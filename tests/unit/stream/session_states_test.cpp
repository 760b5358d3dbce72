// Every transition of the session state machine (docs/streaming.md, "States"), one session driven by hand:
// messages in, effects out, no sockets and no peer.
#include <catch2/catch.hpp>

#include "loopback.hpp"
#include "stream/crc32c.hpp"

using namespace ferry::stream_test;

namespace {

const SessionId kId = test_id();

SourceFile plain_file(const std::string& path, uint64_t size) {
  return SourceFile{path, "/src/" + path, size, 0644, 0, {}, {}};
}

Session started_initiator(std::vector<SourceFile> sends = {}, std::vector<std::string> requests = {}) {
  Session session(kId, test_settings(), std::move(sends), std::move(requests));
  session.start();
  session.take_effects();
  return session;
}

// An initiator in STREAMING that will receive one file of content from the follower.
Session receiving_initiator() {
  Session session = started_initiator({}, {"x"});
  session.on_message(PrepareAck{kId, 1, 3});
  session.take_effects();
  return session;
}

struct NoExports : ExportResolver {
  std::variant<std::vector<SourceFile>, std::string> resolve(const std::string& requested) override {
    return "'" + requested + "' is not under an export root";
  }
};

}  // namespace

TEST_CASE("initiator: INITIALIZED -> PREPARING on start, sending what it sends and requests", "[stream][states]") {
  Session session(kId, test_settings(), {plain_file("a", 5), plain_file("b", 7)}, {"logs/", "db"});
  CHECK(session.state() == State::initialized);
  CHECK(session.take_effects().messages.empty());
  session.start();
  const Effects effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::preparing});
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::get<Prepare>(effects.messages[0]) == Prepare{kId, 2, 12, {"logs/", "db"}, 2});
}

TEST_CASE("initiator: PREPARING -> STREAMING on STREAM_PREPARE_ACK", "[stream][states]") {
  Session session = started_initiator({plain_file("a", 5)});
  session.on_message(PrepareAck{kId, 0, 0});
  CHECK(session.take_effects().states == std::vector<State>{State::streaming});
}

TEST_CASE("initiator: PREPARING -> FAILED when the follower fails the session", "[stream][states]") {
  Session session = started_initiator({}, {"secret"});
  session.on_message(Failed{kId, "'secret' is not under an export root"});
  const Effects effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::failed});
  CHECK(effects.messages.empty());  // the peer knows: it failed first
  CHECK(session.failure_reason() == "the peer failed the session: 'secret' is not under an export root");
}

TEST_CASE("PREPARING -> FAILED when a data message comes before the prepare exchange ends", "[stream][states]") {
  Session session = started_initiator();
  session.on_message(FileHeader{kId, 0, 0, "a", 1, 0644, 0, {}, {}});
  const Effects effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::failed});
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::get<Failed>(effects.messages[0]).reason == "the peer sent STREAM_FILE in state PREPARING");
}

TEST_CASE("PREPARING -> FAILED after the silent-ticks limit; keep-alives while silent", "[stream][states]") {
  Session session = started_initiator();
  session.on_tick();  // the prepare went out since the last tick: no keep-alive
  CHECK(session.take_effects().messages.empty());
  session.on_tick();
  Effects effects = session.take_effects();
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::holds_alternative<KeepAlive>(effects.messages[0]));
  session.on_tick();
  effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::failed});
  CHECK(session.failure_reason() == "no message from the peer for 3 keep-alive intervals");
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::get<Failed>(effects.messages[0]).reason == session.failure_reason());
}

TEST_CASE("a message from the peer restarts the silence count", "[stream][states]") {
  Session session = started_initiator();
  session.on_tick();
  session.on_tick();
  session.on_message(KeepAlive{kId});
  session.on_tick();  // heard: the count starts again
  session.on_tick();
  session.on_tick();
  CHECK(session.state() == State::preparing);
  session.on_tick();
  CHECK(session.state() == State::failed);
}

TEST_CASE("follower: INITIALIZED -> PREPARING -> STREAMING on an accepted prepare", "[stream][states]") {
  MapExports exports;
  exports.exports["logs"] = {plain_file("logs/1", 10), plain_file("logs/2", 0)};
  Session session(kId, test_settings());
  session.follow(Prepare{kId, 3, 100, {"logs"}, 1}, exports);
  const Effects effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::preparing, State::streaming});
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::get<PrepareAck>(effects.messages[0]) == PrepareAck{kId, 2, 10});
  CHECK(session.role() == Role::follower);
}

TEST_CASE("follower: PREPARING -> FAILED when the export-roots check refuses a request", "[stream][states]") {
  NoExports exports;
  Session session(kId, test_settings());
  session.follow(Prepare{kId, 0, 0, {"/etc/shadow"}, 1}, exports);
  const Effects effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::preparing, State::failed});
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::get<Failed>(effects.messages[0]).reason == "'/etc/shadow' is not under an export root");
}

TEST_CASE("follower: PREPARING -> FAILED on a max_retries above the bound", "[stream][states]") {
  NoExports exports;
  Session session(kId, test_settings());
  session.follow(Prepare{kId, 0, 0, {}, 101}, exports);
  CHECK(session.state() == State::failed);
  CHECK(session.failure_reason() == "the initiator asks for max_retries 101, above 100");
}

TEST_CASE("STREAMING -> WAIT_COMPLETE -> COMPLETE when this side finishes first", "[stream][states]") {
  Session session = started_initiator();
  session.on_message(PrepareAck{kId, 0, 0});  // nothing either way: done at once
  Effects effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::streaming, State::wait_complete});
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::holds_alternative<Complete>(effects.messages[0]));
  session.on_message(Complete{kId});
  effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::complete});
  CHECK(effects.messages.empty());
}

TEST_CASE("STREAMING -> WAIT_COMPLETE on the peer's complete, -> COMPLETE when this side finishes", "[stream][states]") {
  const std::string content = "abc";
  Session session = receiving_initiator();
  session.on_message(FileHeader{kId, 0, 0, "x", 3, 0600, 0, {}, {}});
  session.on_message(Complete{kId});  // the peer has nothing left to receive: it may complete first
  Effects effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::wait_complete});
  session.on_message(Chunk{kId, 0, 0, 0, crc32c(bytes_of(content)), 3});
  session.on_payload(bytes_of(content));
  session.on_message(FileDone{kId, 0, 0, sha256_of(content)});
  effects = session.take_effects();
  REQUIRE(effects.sink_calls.size() == 1);  // the write; the commit waits for its result
  CHECK(std::holds_alternative<SinkWrite>(effects.sink_calls[0]));
  session.on_sink_result({0, 0, SinkOp::open, {}});
  session.on_sink_result({0, 0, SinkOp::write, {}});
  effects = session.take_effects();
  REQUIRE(effects.sink_calls.size() == 1);
  CHECK(std::get<SinkCommit>(effects.sink_calls[0]).file == 0);
  session.on_sink_result({0, 0, SinkOp::commit, {}});
  effects = session.take_effects();
  REQUIRE(effects.messages.size() == 2);
  CHECK(std::get<FileCommitted>(effects.messages[0]) == FileCommitted{kId, 0});
  CHECK(std::holds_alternative<Complete>(effects.messages[1]));
  CHECK(effects.states == std::vector<State>{State::complete});
}

TEST_CASE("STREAMING -> FAILED when the peer completes before committing what this side sent", "[stream][states]") {
  Session session = started_initiator({plain_file("a", 1)});
  session.on_message(PrepareAck{kId, 0, 0});
  session.take_effects();
  session.on_message(Complete{kId});
  CHECK(session.state() == State::failed);
  CHECK(session.failure_reason() == "the peer sent STREAM_COMPLETE before committing every file this side sends");
}

TEST_CASE("WAIT_COMPLETE -> FAILED on a second complete, the peer's failure, silence or a cancel", "[stream][states]") {
  auto waiting = [] {
    Session session = started_initiator();
    session.on_message(PrepareAck{kId, 0, 0});
    session.take_effects();
    REQUIRE(session.state() == State::wait_complete);
    return session;
  };
  SECTION("the peer's failure") {
    Session session = waiting();
    session.on_message(Failed{kId, "disk full"});
    CHECK(session.failure_reason() == "the peer failed the session: disk full");
    CHECK(session.take_effects().messages.empty());
  }
  SECTION("silence") {
    Session session = waiting();
    for (int tick = 0; tick < 4; ++tick) session.on_tick();  // the first still counts the prepare ack
    CHECK(session.failure_reason() == "no message from the peer for 3 keep-alive intervals");
  }
  SECTION("a cancel") {
    Session session = waiting();
    session.fail("cancelled by the user");
    const Effects effects = session.take_effects();
    REQUIRE(effects.messages.size() == 1);
    CHECK(std::get<Failed>(effects.messages[0]).reason == "cancelled by the user");
  }
  SECTION("a data message") {
    Session session = waiting();
    session.on_message(Retry{kId, 0, 0, "?"});
    CHECK(session.failure_reason() == "STREAM_RETRY of file 0 attempt 0, but this side sends 0 files");
  }
  Session session = waiting();
  session.on_message(Complete{kId});
  CHECK(session.state() == State::complete);
}

TEST_CASE("STREAMING -> FAILED on a cancel: open sink files are aborted and the peer is told", "[stream][states]") {
  Session session = receiving_initiator();
  session.on_message(FileHeader{kId, 0, 0, "x", 3, 0600, 0, {}, {}});
  session.take_effects();
  session.fail("cancelled by the user");
  const Effects effects = session.take_effects();
  CHECK(effects.states == std::vector<State>{State::failed});
  REQUIRE(effects.sink_calls.size() == 1);
  CHECK(std::get<SinkAbort>(effects.sink_calls[0]).file == 0);
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::get<Failed>(effects.messages[0]).reason == "cancelled by the user");
}

TEST_CASE("COMPLETE and FAILED are final: later inputs change nothing and send nothing", "[stream][states]") {
  Session session = started_initiator();
  session.on_message(Failed{kId, "gone"});
  session.take_effects();
  session.on_message(PrepareAck{kId, 0, 0});
  session.on_message(Complete{kId});
  session.on_tick();
  session.fail("again");
  session.on_payload(bytes_of("x"));
  const Effects effects = session.take_effects();
  CHECK(effects.states.empty());
  CHECK(effects.messages.empty());
  CHECK(session.failure_reason() == "the peer failed the session: gone");
  CHECK_FALSE(session.next_send().has_value());
}

TEST_CASE("a second STREAM_PREPARE or a stray PREPARE_ACK fails the session", "[stream][states]") {
  Session session = started_initiator();
  session.on_message(PrepareAck{kId, 0, 0});
  session.on_message(PrepareAck{kId, 0, 0});
  CHECK(session.failure_reason() == "the peer sent STREAM_PREPARE_ACK in state WAIT_COMPLETE");

  Session other = started_initiator();
  other.on_message(Prepare{kId, 0, 0, {}, 0});
  CHECK(other.failure_reason() == "the peer sent STREAM_PREPARE for a session that exists");
}

TEST_CASE("a side sends a keep-alive at each tick it sent nothing since the last", "[stream][states]") {
  Session session = started_initiator({plain_file("a", 8)});
  session.on_message(PrepareAck{kId, 0, 0});
  session.on_tick();  // the prepare went out since the start
  CHECK(session.take_effects().messages.empty());
  session.on_message(KeepAlive{kId});
  session.on_tick();
  Effects effects = session.take_effects();
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::get<KeepAlive>(effects.messages[0]) == KeepAlive{kId});
  session.on_message(KeepAlive{kId});
  REQUIRE(session.next_send().has_value());  // a file header: this side is sending
  session.on_tick();
  CHECK(session.take_effects().messages.empty());
}

TEST_CASE("state names are the documented ones", "[stream][states]") {
  CHECK(std::string(state_name(State::initialized)) == "INITIALIZED");
  CHECK(std::string(state_name(State::preparing)) == "PREPARING");
  CHECK(std::string(state_name(State::streaming)) == "STREAMING");
  CHECK(std::string(state_name(State::wait_complete)) == "WAIT_COMPLETE");
  CHECK(std::string(state_name(State::complete)) == "COMPLETE");
  CHECK(std::string(state_name(State::failed)) == "FAILED");
}
