// Whole sessions between two state machines joined in memory: files both ways, payloads in pieces, sparse
// ranges, and the retry paths (a corrupted chunk, a digest mismatch, a failing sink) to their end.
#include <catch2/catch.hpp>

#include "loopback.hpp"

using namespace ferry::stream_test;

namespace {

const std::vector<State> kFullLife{State::preparing, State::streaming, State::wait_complete, State::complete};

struct Pair {
  Side initiator;
  Side follower;
};

// An initiator sending files (path -> content) and requesting what the follower exports.
Pair pair_with(const std::vector<std::pair<std::string, std::string>>& sends,
               const std::vector<std::pair<std::string, std::string>>& exported = {},
               Settings settings = test_settings()) {
  Pair pair;
  std::vector<SourceFile> files;
  for (const auto& [path, content] : sends) files.push_back(add_source(pair.initiator, path, content));
  std::vector<std::string> requests;
  for (const auto& [path, content] : exported) {
    pair.follower.exports.exports[path] = {add_source(pair.follower, path, content)};
    requests.push_back(path);
  }
  pair.initiator.session.emplace(test_id(), settings, std::move(files), std::move(requests));
  pair.follower.session.emplace(test_id(), settings);
  return pair;
}

void run(Pair& pair) {
  pair.initiator.session->start();
  REQUIRE(pump(pair.initiator, pair.follower) < 10000);
}

std::string failure_sent_by(const Side& side) {
  const auto failed = sent_of<Failed>(side);
  return failed.empty() ? "" : failed.back().reason;
}

}  // namespace

TEST_CASE("files travel both ways in one session and arrive identical", "[stream][flows]") {
  Pair pair = pair_with({{"empty", ""}, {"one", "1"}, {"dir/chunk-sized", "abcd"}, {"dir/long", "0123456789abcdefg"}},
                        {{"logs/a", "log line\n"}, {"logs/b", "x"}});
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(pair.follower.states == std::vector<State>{State::preparing, State::streaming, State::wait_complete,
                                                   State::complete});
  CHECK(pair.follower.sink.committed == std::map<std::string, std::string>{
                                            {"empty", ""}, {"one", "1"}, {"dir/chunk-sized", "abcd"},
                                            {"dir/long", "0123456789abcdefg"}});
  CHECK(pair.initiator.sink.committed ==
        std::map<std::string, std::string>{{"logs/a", "log line\n"}, {"logs/b", "x"}});
  CHECK(sent_of<Chunk>(pair.initiator).size() == 1 + 1 + 5);  // chunks of at most 4 bytes
  CHECK(pair.initiator.session->retries() == 0);
  CHECK(pair.follower.session->bytes_received() == 22);
}

TEST_CASE("payloads delivered a byte at a time make the same files", "[stream][flows]") {
  Pair pair = pair_with({{"f", "some content that spans chunks"}});
  pair.initiator.piece_size = 1;
  run(pair);
  CHECK(pair.follower.sink.committed.at("f") == "some content that spans chunks");
  CHECK(pair.initiator.session->state() == State::complete);
}

TEST_CASE("a sparse file sends only its ranges and arrives with zeros in its holes", "[stream][flows]") {
  Pair pair;
  const std::string content = std::string("ab") + std::string(10, '\0') + "cdefg" + std::string(3, '\0');
  SourceFile file = add_source(pair.initiator, "sparse", content, {{0, 2}, {12, 5}});
  pair.initiator.session.emplace(test_id(), test_settings(), std::vector<SourceFile>{file}, std::vector<std::string>{});
  pair.follower.session.emplace(test_id(), test_settings());
  run(pair);
  CHECK(pair.follower.sink.committed.at("sparse") == content);
  const auto chunks = sent_of<Chunk>(pair.initiator);
  REQUIRE(chunks.size() == 3);  // "ab", "cdef", "g"
  CHECK(chunks[0].offset == 0);
  CHECK(chunks[1].offset == 12);
  CHECK(chunks[2].offset == 16);
}

TEST_CASE("a corrupted chunk is retried and the file arrives identical", "[stream][flows]") {
  Pair pair = pair_with({{"a", "first file"}, {"b", "second file"}});
  pair.initiator.corrupt = [](const Chunk& chunk, std::string& bytes) {
    if (chunk.file == 1 && chunk.attempt == 0 && chunk.offset == 4) bytes[0] ^= 0x40;
  };
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(pair.follower.sink.committed.at("b") == "second file");
  const auto retries = sent_of<Retry>(pair.follower);
  REQUIRE(retries.size() == 1);
  CHECK(retries[0].file == 1);
  CHECK(retries[0].attempt == 0);
  CHECK_THAT(retries[0].reason, Catch::StartsWith("the chunk ending at offset 8 has CRC32C 0x"));
  CHECK(pair.follower.sink.aborted == std::vector<std::pair<uint64_t, uint64_t>>{{1, 0}});
  CHECK(pair.initiator.session->retries() == 1);
  CHECK(pair.follower.session->retries() == 1);
}

TEST_CASE("a CRC32C computed as the pieces arrive catches a corrupted chunk as the session's own does",
          "[stream][flows]") {
  Pair pair = pair_with({{"a", "first file"}, {"b", "second file"}});
  pair.initiator.piece_size = 3;
  pair.follower.checks_on_arrival = true;
  pair.initiator.corrupt = [](const Chunk& chunk, std::string& bytes) {
    if (chunk.file == 1 && chunk.attempt == 0 && chunk.offset == 4) bytes[0] ^= 0x40;
  };
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(pair.follower.sink.committed.at("a") == "first file");
  CHECK(pair.follower.sink.committed.at("b") == "second file");
  const auto retries = sent_of<Retry>(pair.follower);
  REQUIRE(retries.size() == 1);
  CHECK(retries[0].file == 1);
  CHECK_THAT(retries[0].reason, Catch::StartsWith("the chunk ending at offset 8 has CRC32C 0x"));
}

TEST_CASE("without chunk CRCs a corrupted file is caught by its digest and retried", "[stream][flows]") {
  Settings settings = test_settings();
  settings.chunk_crc32c = false;
  Pair pair = pair_with({{"a", "payload"}, {"b", "more"}}, {}, settings);
  pair.initiator.corrupt = [](const Chunk& chunk, std::string& bytes) {
    if (chunk.file == 0 && chunk.attempt == 0) bytes[0] = '#';
  };
  run(pair);
  CHECK(pair.initiator.session->state() == State::complete);
  CHECK(pair.follower.sink.committed.at("a") == "payload");
  const auto retries = sent_of<Retry>(pair.follower);
  REQUIRE(retries.size() == 1);
  CHECK_THAT(retries[0].reason, Catch::Contains("'a' arrived with SHA-256 "));
  CHECK(sent_of<Chunk>(pair.initiator).front().crc32c == 0);
}

TEST_CASE("with xxh3_digest agreed the file digests are XXH3-128, and a corrupted file is still retried",
          "[stream][flows]") {
  Settings settings = test_settings();
  settings.chunk_crc32c = false;
  settings.xxh3_digest = true;
  Pair pair = pair_with({{"a", "payload"}, {"empty", ""}}, {{"logs/a", "log line\n"}}, settings);
  pair.initiator.corrupt = [](const Chunk& chunk, std::string& bytes) {
    if (chunk.file == 0 && chunk.attempt == 0) bytes[0] = '#';
  };
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(pair.follower.sink.committed == std::map<std::string, std::string>{{"a", "payload"}, {"empty", ""}});
  CHECK(pair.initiator.sink.committed.at("logs/a") == "log line\n");
  for (const Side* side : {&pair.initiator, &pair.follower})
    for (const FileDone& done : sent_of<FileDone>(*side)) CHECK(done.digest.size() == 16);
  // "" hashes to xxHash's check value of the empty input.
  CHECK(sent_of<FileDone>(pair.initiator).back().digest ==
        Digest{0x99, 0xaa, 0x06, 0xd3, 0x01, 0x47, 0x98, 0xd8, 0x60, 0x01, 0xc3, 0x24, 0x46, 0x8d, 0x49, 0x7f});
  const auto retries = sent_of<Retry>(pair.follower);
  REQUIRE(retries.size() == 1);
  CHECK_THAT(retries[0].reason, Catch::Contains("'a' arrived with XXH3-128 "));
}

TEST_CASE("sides that disagree on the digest fail the file, never commit it", "[stream][flows]") {
  Settings xxh3 = test_settings();
  xxh3.xxh3_digest = true;
  Pair pair;
  pair.initiator.session.emplace(test_id(), xxh3, std::vector<SourceFile>{add_source(pair.initiator, "a", "abc")},
                                 std::vector<std::string>{});
  pair.follower.session.emplace(test_id(), test_settings());
  run(pair);
  CHECK(pair.follower.sink.committed.empty());
  CHECK(pair.initiator.session->state() == State::failed);
  CHECK_THAT(failure_sent_by(pair.follower), Catch::Contains("'a' arrived with SHA-256 "));
}

TEST_CASE("corruption on every try fails the session after max_retries, with the reason on both sides",
          "[stream][flows]") {
  Pair pair = pair_with({{"a", "always broken"}});
  pair.initiator.corrupt = [](const Chunk&, std::string& bytes) { bytes[0] ^= 1; };
  run(pair);
  CHECK(pair.follower.states.back() == State::failed);
  CHECK(pair.initiator.states.back() == State::failed);
  CHECK(sent_of<Retry>(pair.follower).size() == 2);  // max_retries = 2: three attempts
  const std::string reason = pair.follower.session->failure_reason();
  CHECK_THAT(reason, Catch::StartsWith("'a' failed 3 times (max_retries 2); the last time: the chunk ending at "
                                       "offset 4 has CRC32C"));
  CHECK(pair.initiator.session->failure_reason() == "the peer failed the session: " + reason);
  CHECK(pair.follower.sink.committed.empty());
  CHECK(pair.follower.sink.open.empty());
  CHECK(pair.follower.sink.aborted.size() == 3);
}

TEST_CASE("a sink write that fails once is retried", "[stream][flows]") {
  Pair pair = pair_with({{"a", "0123456789"}});
  int failures = 0;
  pair.follower.sink.fault = [&](const SinkCall& call) -> std::optional<std::string> {
    const SinkWrite* write = std::get_if<SinkWrite>(&call);
    if (write != nullptr && write->offset == 4 && failures++ == 0) return "No space left on device";
    return std::nullopt;
  };
  run(pair);
  CHECK(pair.initiator.session->state() == State::complete);
  CHECK(pair.follower.sink.committed.at("a") == "0123456789");
  const auto retries = sent_of<Retry>(pair.follower);
  REQUIRE(retries.size() == 1);
  CHECK(retries[0].reason == "the sink could not write 'a': No space left on device");
}

TEST_CASE("a sink that cannot open fails the session with the sink's message", "[stream][flows]") {
  Pair pair = pair_with({{"a", "x"}});
  pair.follower.sink.fault = [](const SinkCall& call) -> std::optional<std::string> {
    if (std::holds_alternative<SinkOpen>(call)) return "Permission denied";
    return std::nullopt;
  };
  run(pair);
  CHECK(pair.follower.session->failure_reason() ==
        "'a' failed 3 times (max_retries 2); the last time: the sink could not open 'a': Permission denied");
  CHECK_THAT(pair.initiator.session->failure_reason(), Catch::EndsWith("Permission denied"));
}

TEST_CASE("a commit that fails once is retried", "[stream][flows]") {
  Pair pair = pair_with({{"a", "abc"}});
  int commits = 0;
  pair.follower.sink.fault = [&](const SinkCall& call) -> std::optional<std::string> {
    if (std::holds_alternative<SinkCommit>(call) && commits++ == 0) return "rename failed";
    return std::nullopt;
  };
  run(pair);
  CHECK(pair.initiator.session->state() == State::complete);
  CHECK(pair.follower.sink.committed.at("a") == "abc");
  CHECK(sent_of<Retry>(pair.follower).at(0).reason == "the sink could not commit 'a': rename failed");
}

TEST_CASE("a path that escapes the sink root fails the session before any sink call", "[stream][flows]") {
  for (const std::string path : {"../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "./a"}) {
    INFO(path);
    Pair pair = pair_with({{path, "x"}});
    run(pair);
    CHECK(pair.follower.session->state() == State::failed);
    CHECK_THAT(pair.follower.session->failure_reason(), Catch::StartsWith("STREAM_FILE of file 0 attempt 0: path '"));
    CHECK(failure_sent_by(pair.follower) == pair.follower.session->failure_reason());
    CHECK(pair.follower.sink.open.empty());
    CHECK(pair.follower.sink.committed.empty());
  }
}

TEST_CASE("a source that changed size while it was sent fails the session", "[stream][flows]") {
  Pair pair = pair_with({{"a", "12345678"}});
  pair.initiator.sources.at("/src/a") = "1234";  // shrank after it was listed
  run(pair);
  CHECK_THAT(pair.initiator.session->failure_reason(),
             Catch::Contains("reading '/src/a' gave 0 bytes at offset 4 where 4 bytes at offset 4 were expected"));
  CHECK(pair.follower.session->state() == State::failed);
  CHECK(pair.follower.sink.open.empty());
}
