// Sessions that agree chunk_xxh3 (with xxh3_digest): every chunk is checked by its own XXH3-128, whose first
// four bytes travel in the chunk's check field, and the file digest is taken over the chunks' hashes.
#include <catch2/catch.hpp>

#include "loopback.hpp"
#include "stream/crc32c.hpp"

using namespace ferry::stream_test;

namespace {

const std::vector<State> kFullLife{State::preparing, State::streaming, State::wait_complete, State::complete};

Settings chunk_xxh3_settings() {
  Settings settings = test_settings();
  settings.xxh3_digest = true;
  settings.chunk_xxh3 = true;
  return settings;
}

struct Pair {
  Side initiator;
  Side follower;
};

Pair pair_sending(const std::vector<SourceFile>& files, Pair pair, const Settings& initiator,
                  const Settings& follower) {
  pair.initiator.session.emplace(test_id(), initiator, files, std::vector<std::string>{});
  pair.follower.session.emplace(test_id(), follower);
  return pair;
}

void run(Pair& pair) {
  pair.initiator.session->start();
  REQUIRE(pump(pair.initiator, pair.follower) < 10000);
}

}  // namespace

TEST_CASE("with chunk_xxh3 each chunk carries its hash's first bytes and the digest is over the chunks",
          "[stream][chunk_xxh3]") {
  Pair pair;
  const std::string content = std::string("ab") + std::string(10, '\0') + "cdefg" + std::string(3, '\0');
  const std::vector<SourceFile> files{add_source(pair.initiator, "sparse", content, {{0, 2}, {12, 5}}),
                                      add_source(pair.initiator, "empty", "")};
  pair = pair_sending(files, std::move(pair), chunk_xxh3_settings(), chunk_xxh3_settings());
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(pair.follower.sink.committed == std::map<std::string, std::string>{{"sparse", content}, {"empty", ""}});

  const auto chunks = sent_of<Chunk>(pair.initiator);
  REQUIRE(chunks.size() == 3);  // "ab", "cdef", "g"
  CHECK(chunks[0].crc32c == chunk_check(chunk_hash(bytes_of("ab"))));
  CHECK(chunks[1].crc32c == chunk_check(chunk_hash(bytes_of("cdef"))));
  CHECK(chunks[2].crc32c == chunk_check(chunk_hash(bytes_of("g"))));

  FileDigest expected(DigestAlgorithm::xxh3_128_of_chunks);
  expected.add_chunk(0, 2, chunk_hash(bytes_of("ab")));
  expected.add_chunk(12, 4, chunk_hash(bytes_of("cdef")));
  expected.add_chunk(16, 1, chunk_hash(bytes_of("g")));
  const auto done = sent_of<FileDone>(pair.initiator);
  REQUIRE(done.size() == 2);
  CHECK(done[0].digest == expected.finish());
  // A file without chunks: the XXH3-128 of no records, xxHash's value of the empty input.
  CHECK(done[1].digest ==
        Digest{0x99, 0xaa, 0x06, 0xd3, 0x01, 0x47, 0x98, 0xd8, 0x60, 0x01, 0xc3, 0x24, 0x46, 0x8d, 0x49, 0x7f});
}

TEST_CASE("with chunk_xxh3 a corrupted chunk fails its check, computed on arrival or by the session",
          "[stream][chunk_xxh3]") {
  const bool on_arrival = GENERATE(false, true);
  Pair pair;
  const std::vector<SourceFile> files{add_source(pair.initiator, "a", "first file"),
                                      add_source(pair.initiator, "b", "second file")};
  pair = pair_sending(files, std::move(pair), chunk_xxh3_settings(), chunk_xxh3_settings());
  pair.initiator.piece_size = 3;
  pair.follower.checks_on_arrival = on_arrival;
  pair.initiator.corrupt = [](const Chunk& chunk, std::string& bytes) {
    if (chunk.file == 1 && chunk.attempt == 0 && chunk.offset == 4) bytes[0] ^= 0x40;
  };
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(pair.follower.sink.committed == std::map<std::string, std::string>{{"a", "first file"}, {"b", "second file"}});
  const auto retries = sent_of<Retry>(pair.follower);
  REQUIRE(retries.size() == 1);
  CHECK(retries[0].file == 1);
  CHECK_THAT(retries[0].reason, Catch::StartsWith("the chunk ending at offset 8 has XXH3-128 check 0x"));
}

TEST_CASE("a chunk hash computed on arrival is the one the session checks", "[stream][chunk_xxh3]") {
  Session session(test_id(), chunk_xxh3_settings());
  MapExports exports;
  session.follow(Prepare{test_id(), 1, 4, {}, 2}, exports);
  REQUIRE(session.state() == State::streaming);
  session.on_message(FileHeader{test_id(), 0, 0, "f", 4, 0644, 0, {}, {}});
  session.on_message(Chunk{test_id(), 0, 0, 0, chunk_check(chunk_hash(bytes_of("abcd"))), 4});
  // The caller says the bytes hashed to something else: what it computed is taken, not computed again.
  session.on_payload(bytes_of("abcd"), ArrivalChecks{std::nullopt, chunk_hash(bytes_of("abce"))});
  const auto effects = session.take_effects();
  bool retried = false;
  for (const StreamMessage& message : effects.messages)
    if (const auto* retry = std::get_if<Retry>(&message)) {
      retried = true;
      CHECK_THAT(retry->reason, Catch::StartsWith("the chunk ending at offset 4 has XXH3-128 check 0x"));
    }
  CHECK(retried);
}

TEST_CASE("chunk_xxh3 without xxh3_digest changes nothing: CRC32C per chunk and SHA-256", "[stream][chunk_xxh3]") {
  Settings settings = test_settings();
  settings.chunk_xxh3 = true;
  CHECK(chunk_check_of(settings) == ChunkCheck::crc32c);
  CHECK(transfer_digest(settings) == DigestAlgorithm::sha256);
  Pair pair;
  const std::vector<SourceFile> files{add_source(pair.initiator, "a", "payload")};
  pair = pair_sending(files, std::move(pair), settings, settings);
  run(pair);
  CHECK(pair.follower.sink.committed.at("a") == "payload");
  CHECK(sent_of<Chunk>(pair.initiator).front().crc32c == crc32c(bytes_of("payl")));
  CHECK(sent_of<FileDone>(pair.initiator).front().digest == sha256_of("payload"));
}

TEST_CASE("sides that disagree on chunk_xxh3 never commit the file", "[stream][chunk_xxh3]") {
  Pair pair;
  const std::vector<SourceFile> files{add_source(pair.initiator, "a", "abc")};
  Settings whole_file = chunk_xxh3_settings();
  whole_file.chunk_xxh3 = false;
  pair = pair_sending(files, std::move(pair), chunk_xxh3_settings(), whole_file);
  run(pair);
  CHECK(pair.follower.sink.committed.empty());
  CHECK(pair.initiator.session->state() == State::failed);
}
