// The receiving side's rules, driven by hand: what it discards after a failed attempt (so the stream stays
// in step), and each message a peer may not send, which fails the session with a reason naming it.
#include <catch2/catch.hpp>

#include "loopback.hpp"
#include "stream/crc32c.hpp"

using namespace ferry::stream_test;

namespace {

const SessionId kId = test_id();

// A follower in STREAMING that receives files announced by the initiator, its sink calls answered at once.
struct Receiver {
  Session session{kId, test_settings()};
  MemorySink sink;
  std::vector<StreamMessage> sent;

  explicit Receiver(uint64_t files) {
    MapExports none;
    session.follow(Prepare{kId, files, 0, {}, 2}, none);
    settle();
  }
  void settle() {
    for (;;) {
      Effects effects = session.take_effects();
      if (effects.messages.empty() && effects.sink_calls.empty() && effects.states.empty()) return;
      sent.insert(sent.end(), effects.messages.begin(), effects.messages.end());
      for (const SinkResult& result : sink.run(effects.sink_calls)) session.on_sink_result(result);
    }
  }
  void message(const StreamMessage& m) {
    session.on_message(m);
    settle();
  }
  void chunk(uint64_t file, uint64_t attempt, uint64_t offset, const std::string& data, bool good_crc = true) {
    session.on_message(Chunk{kId, file, attempt, offset, crc32c(bytes_of(data)) ^ (good_crc ? 0u : 1u), data.size()});
    session.on_payload(bytes_of(data));
    settle();
  }
  FileHeader header(uint64_t file, uint64_t attempt, const std::string& path, uint64_t size) {
    return FileHeader{kId, file, attempt, path, size, 0644, 0, {}, {}};
  }
};

}  // namespace

TEST_CASE("after a failed attempt its remaining chunks and STREAM_FILE_DONE are discarded", "[stream][receive]") {
  Receiver receiver(1);
  receiver.message(receiver.header(0, 0, "f", 8));
  receiver.chunk(0, 0, 0, "abcd", false);  // corrupted: RETRY goes out, attempt 0 is dropped
  REQUIRE(receiver.sent.size() == 2);
  CHECK(std::get<Retry>(receiver.sent[1]).attempt == 0);
  receiver.chunk(0, 0, 4, "efgh");  // already in flight when the sender learnt of the retry
  receiver.message(FileDone{kId, 0, 0, sha256_of("abcdefgh")});
  CHECK(receiver.session.state() == State::streaming);
  CHECK(receiver.sink.committed.empty());
  receiver.message(receiver.header(0, 1, "f", 8));
  receiver.chunk(0, 1, 0, "abcd");
  receiver.chunk(0, 1, 4, "efgh");
  receiver.message(FileDone{kId, 0, 1, sha256_of("abcdefgh")});
  CHECK(receiver.sink.committed.at("f") == "abcdefgh");
  CHECK(std::get<FileCommitted>(receiver.sent.at(2)) == FileCommitted{kId, 0});
  CHECK(std::holds_alternative<Complete>(receiver.sent.at(3)));
}

TEST_CASE("a failed attempt's payload still in flight is discarded piece by piece", "[stream][receive]") {
  Receiver receiver(1);
  receiver.message(receiver.header(0, 0, "f", 8));
  receiver.session.on_message(Chunk{kId, 0, 0, 0, 0, 8});
  receiver.session.on_payload(bytes_of("abc"));
  receiver.session.on_sink_result({0, 0, SinkOp::write, std::string("I/O error")});  // the sink fails mid-chunk
  receiver.session.on_payload(bytes_of("defgh"));
  receiver.settle();
  CHECK(receiver.session.state() == State::streaming);
  CHECK(std::get<Retry>(receiver.sent.at(1)).reason == "the sink could not write 'f': I/O error");
  receiver.message(receiver.header(0, 1, "f", 0));  // the next attempt may differ: the file changed
  receiver.message(FileDone{kId, 0, 1, sha256_of("")});
  CHECK(receiver.sink.committed.at("f").empty());
}

TEST_CASE("the header's digest must match the one the file ends with", "[stream][receive]") {
  Receiver receiver(1);
  FileHeader header = receiver.header(0, 0, "f", 2);
  header.digest = sha256_of("ab");
  receiver.message(header);
  receiver.chunk(0, 0, 0, "xy");
  receiver.message(FileDone{kId, 0, 0, sha256_of("xy")});
  CHECK_THAT(std::get<Retry>(receiver.sent.at(1)).reason, Catch::StartsWith("'f' changed while it was sent"));
}

TEST_CASE("messages a peer may not send fail the session, naming what was wrong", "[stream][receive]") {
  Receiver receiver(2);
  std::string expected;
  SECTION("a file beyond those announced") {
    receiver.message(receiver.header(2, 0, "f", 1));
    expected = "STREAM_FILE of file 2 attempt 0, but the peer announced 2 files";
  }
  SECTION("an attempt that was not asked for") {
    receiver.message(receiver.header(0, 1, "f", 1));
    expected = "STREAM_FILE of file 0 attempt 1 where attempt 0 was expected";
  }
  SECTION("a second file while the first is being received") {
    receiver.message(receiver.header(0, 0, "f", 1));
    receiver.message(receiver.header(1, 0, "g", 1));
    expected = "STREAM_FILE of file 1 attempt 0 while file 0 is still being received";
  }
  SECTION("a file sent again after its commit") {
    receiver.message(receiver.header(0, 0, "f", 0));
    receiver.message(FileDone{kId, 0, 0, sha256_of("")});
    receiver.message(receiver.header(0, 0, "f", 0));
    expected = "STREAM_FILE of file 0 attempt 0, which is already committed";
  }
  SECTION("a mode above 07777") {
    FileHeader header = receiver.header(0, 0, "f", 1);
    header.mode = 010000;
    receiver.message(header);
    expected = "STREAM_FILE of file 0 attempt 0: mode 4096 is above 07777";
  }
  SECTION("ranges beyond the file") {
    FileHeader header = receiver.header(0, 0, "f", 10);
    header.ranges = {{0, 4}, {8, 3}};
    receiver.message(header);
    expected = "STREAM_FILE of file 0 attempt 0: range 1 (offset 8, length 3) ends beyond the file's 10 bytes";
  }
  SECTION("a digest that is not SHA-256") {
    FileHeader header = receiver.header(0, 0, "f", 1);
    header.digest = {1, 2, 3};
    receiver.message(header);
    expected = "STREAM_FILE of file 0 attempt 0: a digest of 3 bytes (SHA-256 has 32)";
  }
  SECTION("a chunk of a file not being received") {
    receiver.chunk(1, 0, 0, "x");
    expected = "STREAM_CHUNK of file 1 attempt 0, which is not being received";
  }
  SECTION("a chunk out of place") {
    receiver.message(receiver.header(0, 0, "f", 8));
    receiver.chunk(0, 0, 4, "efgh");
    expected = "STREAM_CHUNK of file 0 attempt 0 at offset 4 where offset 0 was expected";
  }
  SECTION("a chunk past the end") {
    receiver.message(receiver.header(0, 0, "f", 2));
    receiver.chunk(0, 0, 0, "abc");
    expected = "STREAM_CHUNK of file 0 attempt 0 of 3 bytes at offset 0 runs past the range ending at 2";
  }
  SECTION("an empty chunk") {
    receiver.message(receiver.header(0, 0, "f", 2));
    receiver.chunk(0, 0, 0, "");
    expected = "STREAM_CHUNK of file 0 attempt 0 carries no bytes";
  }
  SECTION("a message inside a chunk's payload") {
    receiver.message(receiver.header(0, 0, "f", 2));
    receiver.session.on_message(Chunk{kId, 0, 0, 0, 0, 2});
    receiver.message(KeepAlive{kId});
    expected = "the peer sent a message inside a chunk's payload";
  }
  SECTION("payload without a chunk") {
    receiver.session.on_payload(bytes_of("x"));
    receiver.settle();
    expected = "payload bytes that no STREAM_CHUNK announced";
  }
  SECTION("a file done before all its bytes") {
    receiver.message(receiver.header(0, 0, "f", 8));
    receiver.chunk(0, 0, 0, "abcd");
    receiver.message(FileDone{kId, 0, 0, {}});
    expected = "STREAM_FILE_DONE of file 0 attempt 0 before the chunk at offset 4";
  }
  SECTION("a commit of a file this side never sent") {
    receiver.message(FileCommitted{kId, 0});
    expected = "STREAM_FILE_COMMITTED of file 0, but this side sends 0 files";
  }
  CHECK(receiver.session.state() == State::failed);
  CHECK(receiver.session.failure_reason() == expected);
  CHECK(std::get<Failed>(receiver.sent.back()).reason == expected);
  CHECK(receiver.sink.open.empty());
}
