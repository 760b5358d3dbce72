// The sending side: one file at a time in chunks of chunk_size, read ahead up to kReadsAhead chunks and
// taken back in order, a retried file sent again first with its next attempt, and answers from the peer
// that cannot be true of what was sent.
#include <catch2/catch.hpp>

#include "loopback.hpp"

using namespace ferry::stream_test;

namespace {

const SessionId kId = test_id();

Session streaming_sender(std::vector<SourceFile> files) {
  Session session(kId, test_settings(), std::move(files), {});
  session.start();
  session.on_message(PrepareAck{kId, 0, 0});
  session.take_effects();
  return session;
}

SourceFile file_of(const std::string& path, uint64_t size) { return SourceFile{path, "/" + path, size, 0644, 0, {}, {}}; }

}  // namespace

TEST_CASE("a sender asks for the chunks of a file ahead, takes them back in order; a retry restarts the file",
          "[stream][send]") {
  Session session = streaming_sender({file_of("a", 6), file_of("b", 1)});
  auto header = std::get<FileHeader>(*session.next_send());
  CHECK(header.file == 0);
  CHECK(header.attempt == 0);
  auto read = std::get<ReadChunk>(*session.next_send());
  CHECK(read.offset == 0);
  CHECK(read.length == 4);
  read = std::get<ReadChunk>(*session.next_send());
  CHECK(read.offset == 4);
  CHECK(read.length == 2);
  CHECK_FALSE(session.next_send().has_value());  // file b waits for file a's STREAM_FILE_DONE
  REQUIRE(session.chunk_read(0, 0, 0, bytes_of("abcd")).has_value());
  CHECK_FALSE(session.next_send().has_value());  // still one read out

  session.on_message(Retry{kId, 0, 0, "bad chunk"});
  REQUIRE(session.take_effects().messages.empty());
  CHECK_FALSE(session.chunk_read(0, 0, 4, bytes_of("ef")).has_value());  // of the dropped attempt
  header = std::get<FileHeader>(*session.next_send());
  CHECK(header.file == 0);
  CHECK(header.attempt == 1);
  read = std::get<ReadChunk>(*session.next_send());
  CHECK(read.attempt == 1);
  CHECK(read.offset == 0);
}

TEST_CASE("a sender keeps at most kReadsAhead reads out, and finishes the file once all are back",
          "[stream][send]") {
  constexpr uint64_t kChunks = 5;
  static_assert(SendSide::kReadsAhead < kChunks);
  Session session = streaming_sender({file_of("a", 4 * kChunks), file_of("b", 1)});
  session.next_send();
  uint64_t asked = 0;
  for (; asked < SendSide::kReadsAhead; ++asked) CHECK(std::get<ReadChunk>(*session.next_send()).offset == 4 * asked);
  CHECK_FALSE(session.next_send().has_value());
  for (uint64_t handed = 0; handed < kChunks; ++handed) {
    REQUIRE(session.chunk_read(0, 0, 4 * handed, bytes_of("0123")).has_value());
    if (asked < kChunks) CHECK(std::get<ReadChunk>(*session.next_send()).offset == 4 * asked++);
    if (handed + 1 < kChunks) CHECK_FALSE(session.next_send().has_value());
  }
  CHECK(std::get<FileDone>(*session.next_send()).file == 0);
  CHECK(std::get<FileHeader>(*session.next_send()).file == 1);
}

TEST_CASE("a read handed back out of the order asked fails the session with both offsets", "[stream][send]") {
  Session session = streaming_sender({file_of("a", 8)});
  session.next_send();
  session.next_send();
  session.next_send();
  CHECK_FALSE(session.chunk_read(0, 0, 4, bytes_of("efgh")).has_value());
  CHECK(session.state() == State::failed);
  CHECK(session.failure_reason() ==
        "reading '/a' gave 4 bytes at offset 4 where 4 bytes at offset 0 were expected (did the file change while "
        "it was sent?)");
}

TEST_CASE("a read that finishes after its attempt was dropped sends nothing", "[stream][send]") {
  Session session = streaming_sender({file_of("a", 6)});
  session.next_send();
  const auto read = std::get<ReadChunk>(*session.next_send());
  session.on_message(Retry{kId, 0, 0, "sink error"});
  CHECK_FALSE(session.chunk_read(read.file, read.attempt, read.offset, bytes_of("abcd")).has_value());
  CHECK(session.state() == State::streaming);
}

TEST_CASE("answers that cannot be true of what was sent fail the session", "[stream][send]") {
  Session session = streaming_sender({file_of("a", 1)});
  std::string expected;
  SECTION("a retry of an attempt not sent") {
    session.next_send();
    session.on_message(Retry{kId, 0, 1, "?"});
    expected = "STREAM_RETRY of file 0 attempt 1, which is not the attempt last sent";
  }
  SECTION("a retry beyond max_retries") {
    for (uint64_t attempt = 0; attempt < 2; ++attempt) {
      session.next_send();
      session.on_message(Retry{kId, 0, attempt, "?"});
    }
    session.next_send();
    session.on_message(Retry{kId, 0, 2, "?"});
    expected = "STREAM_RETRY of file 0 attempt 2, beyond the session's max_retries of 2";
  }
  SECTION("a commit before the file was done") {
    session.next_send();
    session.on_message(FileCommitted{kId, 0});
    expected = "STREAM_FILE_COMMITTED of file 0 before its STREAM_FILE_DONE was sent";
  }
  CHECK(session.failure_reason() == expected);
}
