// The sending side: one file at a time in chunks of chunk_size, a retried file sent again first with its
// next attempt, and answers from the peer that cannot be true of what was sent.
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

TEST_CASE("a sender asks for one chunk at a time and a retry restarts the file first", "[stream][send]") {
  Session session = streaming_sender({file_of("a", 6), file_of("b", 1)});
  auto header = std::get<FileHeader>(*session.next_send());
  CHECK(header.file == 0);
  CHECK(header.attempt == 0);
  auto read = std::get<ReadChunk>(*session.next_send());
  CHECK(read.offset == 0);
  CHECK(read.length == 4);
  CHECK_FALSE(session.next_send().has_value());  // the read is outstanding
  REQUIRE(session.chunk_read(0, 0, 0, bytes_of("abcd")).has_value());

  session.on_message(Retry{kId, 0, 0, "bad chunk"});
  REQUIRE(session.take_effects().messages.empty());
  header = std::get<FileHeader>(*session.next_send());
  CHECK(header.file == 0);
  CHECK(header.attempt == 1);
  read = std::get<ReadChunk>(*session.next_send());
  CHECK(read.attempt == 1);
  CHECK(read.offset == 0);
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
