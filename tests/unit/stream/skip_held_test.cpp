// Skipping files the receiving sink already holds (skip_held): every STREAM_FILE is answered with
// STREAM_FILE_CHECKED before its data; the receiver names the digest of a file its sink holds at that path
// with that size, and only then does the sender hash its file. An equal digest ends the attempt with its
// STREAM_FILE_DONE and no data; anything else is sent as before. Whole sessions joined in memory, then each
// rule a peer may break, by hand.
#include <catch2/catch.hpp>

#include "loopback.hpp"
#include "stream/crc32c.hpp"

using namespace ferry::stream_test;

namespace {

const SessionId kId = test_id();
const std::vector<State> kFullLife{State::preparing, State::streaming, State::wait_complete, State::complete};

Settings skip_settings(bool agreed = true, bool asks = true) {
  Settings settings = test_settings();
  settings.skip_held_agreed = agreed;
  settings.skip_held = agreed && asks;
  return settings;
}

struct Pair {
  Side initiator;
  Side follower;
};

// The initiator sends files (path -> content) to a follower whose sink already holds held (path -> content).
Pair pair_with(const std::vector<std::pair<std::string, std::string>>& sends,
               const std::map<std::string, std::string>& held, Settings initiator_settings = skip_settings(),
               Settings follower_settings = skip_settings()) {
  Pair pair;
  std::vector<SourceFile> files;
  for (const auto& [path, content] : sends) files.push_back(add_source(pair.initiator, path, content));
  pair.follower.sink.committed = held;
  pair.initiator.session.emplace(kId, initiator_settings, std::move(files), std::vector<std::string>{});
  pair.follower.session.emplace(kId, follower_settings);
  return pair;
}

void run(Pair& pair) {
  pair.initiator.session->start();
  REQUIRE(pump(pair.initiator, pair.follower) < 10000);
}

std::vector<uint64_t> files_of_chunks(const Side& side) {
  std::vector<uint64_t> files;
  for (const Chunk& chunk : sent_of<Chunk>(side))
    if (files.empty() || files.back() != chunk.file) files.push_back(chunk.file);
  return files;
}

SinkResult lookup_found(std::string_view held_content) {
  SinkResult result{0, 0, SinkOp::lookup, std::nullopt};
  result.held_digest = sha256_of(held_content);
  return result;
}

// A follower of a one-file session that has answered the STREAM_FILE of "a" (4 bytes, header digest as
// given) with its sink holding held_content at "a".
Session follower_after_lookup(const Digest& announced, std::string_view held_content, Effects& answer) {
  Session session(kId, skip_settings());
  MapExports none;
  session.follow(Prepare{kId, 1, 4, {}, 2}, none);
  session.take_effects();
  session.on_message(FileHeader{kId, 0, 0, "a", 4, 0644, 0, {}, announced});
  session.take_effects();
  session.on_sink_result(lookup_found(held_content));
  answer = session.take_effects();
  return session;
}

}  // namespace

TEST_CASE("a re-run into a sink that holds every file sends no data and hashes only those files",
          "[stream][skip]") {
  const std::vector<std::pair<std::string, std::string>> files{
      {"empty", ""}, {"one", "1"}, {"dir/long", "0123456789abcdefg"}};
  Pair first = pair_with(files, {});
  run(first);
  REQUIRE(first.initiator.states == kFullLife);
  CHECK(first.initiator.session->files_skipped() == 0);
  CHECK(first.initiator.hashed.empty());  // the sink held nothing, so nothing was read twice
  const auto first_checked = sent_of<FileChecked>(first.follower);
  CHECK(first_checked.size() == 3);
  for (const FileChecked& checked : first_checked) {
    CHECK_FALSE(checked.held);
    CHECK(checked.digest.empty());
  }

  Pair again = pair_with(files, first.follower.sink.committed);
  run(again);
  CHECK(again.initiator.states == kFullLife);
  CHECK(again.follower.states == kFullLife);
  CHECK(sent_of<Chunk>(again.initiator).empty());
  // An offer taken is acknowledged, though the sink neither opened nor committed anything.
  CHECK(sent_of<FileCommitted>(again.follower).size() == 3);
  CHECK(again.follower.sink.committed == first.follower.sink.committed);
  CHECK(again.follower.sink.aborted.empty());
  CHECK(again.follower.sink.looked_up == std::vector<std::string>{"empty", "one", "dir/long"});
  CHECK(again.initiator.hashed == std::vector<std::string>{"/src/empty", "/src/one", "/src/dir/long"});
  for (const FileHeader& header : sent_of<FileHeader>(again.initiator)) CHECK(header.digest.empty());
  const auto checked = sent_of<FileChecked>(again.follower);
  REQUIRE(checked.size() == 3);
  for (const FileChecked& offer : checked) {
    CHECK_FALSE(offer.held);
    CHECK(offer.digest.size() == kDigestSize);
  }
  for (const FileDone& done : sent_of<FileDone>(again.initiator))
    CHECK(done.digest == checked.at(done.file).digest);
  CHECK(again.initiator.session->files_skipped() == 3);
  CHECK(again.initiator.session->send_bytes_skipped() == 18);
  CHECK(again.follower.session->files_skipped() == 3);
  CHECK(again.follower.session->bytes_skipped() == 18);
  CHECK(again.follower.session->bytes_received() == 0);
}

TEST_CASE("a file whose content or size changed is sent, the others skipped", "[stream][skip]") {
  Pair pair = pair_with({{"same", "abcd"}, {"content", "xyq"}, {"size", "hello!"}, {"new", "n"}},
                        {{"same", "abcd"}, {"content", "xyz"}, {"size", "hello"}});
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(files_of_chunks(pair.initiator) == std::vector<uint64_t>{1, 2, 3});
  // Only the files held with the same size were hashed before their data.
  CHECK(pair.initiator.hashed == std::vector<std::string>{"/src/same", "/src/content"});
  CHECK(pair.follower.sink.committed ==
        std::map<std::string, std::string>{{"same", "abcd"}, {"content", "xyq"}, {"size", "hello!"}, {"new", "n"}});
  CHECK(pair.initiator.session->files_skipped() == 1);
  CHECK(pair.follower.session->files_skipped() == 1);
  CHECK(sent_of<FileCommitted>(pair.follower).size() == 4);
}

TEST_CASE("without skip_held agreed, or turned off on one side, every file is sent", "[stream][skip]") {
  const std::map<std::string, std::string> held{{"a", "abcd"}};
  SECTION("not agreed on the connection: no answer is sent or awaited") {
    Pair pair = pair_with({{"a", "abcd"}}, held, skip_settings(false), skip_settings(false));
    run(pair);
    CHECK(pair.follower.sink.looked_up.empty());
    CHECK(sent_of<FileChecked>(pair.follower).empty());
    CHECK(sent_of<Chunk>(pair.initiator).size() == 1);
    CHECK(pair.initiator.session->files_skipped() == 0);
    CHECK(pair.initiator.states == kFullLife);
  }
  SECTION("agreed, but the sender's stream.skip_held is off: it does not hash an offered file") {
    Pair pair = pair_with({{"a", "abcd"}}, held, skip_settings(true, false), skip_settings());
    run(pair);
    CHECK(sent_of<FileChecked>(pair.follower).at(0).digest == sha256_of("abcd"));
    CHECK(pair.initiator.hashed.empty());
    CHECK(sent_of<Chunk>(pair.initiator).size() == 1);
    CHECK(pair.follower.session->files_skipped() == 0);
    CHECK(pair.initiator.states == kFullLife);
  }
  SECTION("agreed, but the receiver's stream.skip_held is off: it answers without asking its sink") {
    Pair pair = pair_with({{"a", "abcd"}}, held, skip_settings(), skip_settings(true, false));
    run(pair);
    CHECK(pair.follower.sink.looked_up.empty());
    CHECK(sent_of<FileChecked>(pair.follower) == std::vector<FileChecked>{FileChecked{kId, 0, 0, false, {}}});
    CHECK(sent_of<Chunk>(pair.initiator).size() == 1);
    CHECK(pair.initiator.states == kFullLife);
  }
}

TEST_CASE("a sink that cannot look a file up receives it", "[stream][skip]") {
  Pair pair = pair_with({{"a", "abcd"}}, {{"a", "abcd"}});
  pair.follower.sink.fault = [](const SinkCall& call) -> std::optional<std::string> {
    if (std::holds_alternative<SinkLookup>(call)) return "lookup is broken";
    return std::nullopt;
  };
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(sent_of<FileChecked>(pair.follower) == std::vector<FileChecked>{FileChecked{kId, 0, 0, false, {}}});
  CHECK(sent_of<Chunk>(pair.initiator).size() == 1);
  CHECK(pair.follower.session->files_skipped() == 0);
}

TEST_CASE("files the follower sends are skipped in the initiator's sink too", "[stream][skip]") {
  Pair pair;
  pair.follower.exports.exports["logs/a"] = {add_source(pair.follower, "logs/a", "line\n")};
  pair.follower.exports.exports["logs/b"] = {add_source(pair.follower, "logs/b", "other")};
  pair.initiator.sink.committed = {{"logs/a", "line\n"}};
  pair.initiator.session.emplace(kId, skip_settings(), std::vector<SourceFile>{},
                                 std::vector<std::string>{"logs/a", "logs/b"});
  pair.follower.session.emplace(kId, skip_settings());
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(files_of_chunks(pair.follower) == std::vector<uint64_t>{1});
  CHECK(pair.initiator.sink.committed.at("logs/b") == "other");
  CHECK(pair.follower.session->files_skipped() == 1);
  CHECK(pair.initiator.session->files_skipped() == 1);
}

TEST_CASE("a retried attempt is checked again", "[stream][skip]") {
  Pair pair = pair_with({{"a", "abcdefgh"}}, {});
  bool corrupted = false;
  pair.initiator.corrupt = [&](const Chunk&, std::string& bytes) {
    if (!corrupted) bytes[0] ^= 1;
    corrupted = true;
  };
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(sent_of<FileChecked>(pair.follower) ==
        std::vector<FileChecked>{FileChecked{kId, 0, 0, false, {}}, FileChecked{kId, 0, 1, false, {}}});
  CHECK(pair.follower.sink.committed.at("a") == "abcdefgh");
  CHECK(pair.initiator.session->retries() == 1);
}

TEST_CASE("a sender waits for the answer, hashes only an offered file, and ends a held one at once",
          "[stream][skip]") {
  Session session(kId, skip_settings(),
                  {SourceFile{"a", "/a", 6, 0644, 0, {}, {}}, SourceFile{"b", "/b", 1, 0644, 0, {}, {}},
                   SourceFile{"c", "/c", 2, 0644, 0, {}, sha256_of("cc")}},
                  {});
  session.start();
  session.on_message(PrepareAck{kId, 0, 0});
  session.take_effects();
  CHECK(std::get<FileHeader>(*session.next_send()).digest.empty());
  CHECK_FALSE(session.next_send().has_value());  // waiting for the answer
  session.on_message(FileChecked{kId, 0, 0, false, sha256_of("abcdef")});
  const auto hash = std::get<HashFile>(*session.next_send());
  CHECK(hash.file == 0);
  CHECK(hash.source == "/a");
  CHECK(hash.ranges == std::vector<ByteRange>{{0, 6}});
  CHECK_FALSE(session.next_send().has_value());  // hashing
  session.file_hashed(0, 0, sha256_of("abcdef"));
  CHECK(std::get<FileDone>(*session.next_send()) == FileDone{kId, 0, 0, sha256_of("abcdef")});

  CHECK(std::get<FileHeader>(*session.next_send()).file == 1);
  session.on_message(FileChecked{kId, 1, 0, false, sha256_of("y")});
  CHECK(std::get<HashFile>(*session.next_send()).file == 1);
  session.file_hashed(1, 0, sha256_of("x"));  // differs from the held one: the data goes
  const auto read = std::get<ReadChunk>(*session.next_send());
  CHECK(read.length == 1);
  session.chunk_read(1, 0, 0, bytes_of("x"));
  CHECK(std::get<FileDone>(*session.next_send()).digest == sha256_of("x"));

  // A digest known in advance travels in the header and is compared without reading the file.
  CHECK(std::get<FileHeader>(*session.next_send()).digest == sha256_of("cc"));
  session.on_message(FileChecked{kId, 2, 0, true, {}});
  CHECK(std::get<FileDone>(*session.next_send()) == FileDone{kId, 2, 0, sha256_of("cc")});
  CHECK(session.state() == State::streaming);
  CHECK(session.files_skipped() == 2);
}

TEST_CASE("answers a sender did not wait for, or cannot be true, fail the session", "[stream][skip]") {
  Session session(kId, skip_settings(), {SourceFile{"a", "/a", 6, 0644, 0, {}, {}}}, {});
  session.start();
  session.on_message(PrepareAck{kId, 0, 0});
  session.take_effects();
  std::string expected;
  SECTION("before its STREAM_FILE") {
    session.on_message(FileChecked{kId, 0, 0, false, {}});
    expected = "STREAM_FILE_CHECKED of file 0 attempt 0, which this side is not waiting for";
  }
  SECTION("for another attempt") {
    session.next_send();
    session.on_message(FileChecked{kId, 0, 1, false, {}});
    expected = "STREAM_FILE_CHECKED of file 0 attempt 1, which this side is not waiting for";
  }
  SECTION("twice") {
    session.next_send();
    session.on_message(FileChecked{kId, 0, 0, false, sha256_of("abcdef")});
    session.on_message(FileChecked{kId, 0, 0, false, sha256_of("abcdef")});
    expected = "STREAM_FILE_CHECKED of file 0 attempt 0, which this side is not waiting for";
  }
  SECTION("held, for a STREAM_FILE that announced no digest") {
    session.next_send();
    session.on_message(FileChecked{kId, 0, 0, true, {}});
    expected = "STREAM_FILE_CHECKED of file 0 attempt 0 says the file is held, but its STREAM_FILE carried no digest "
               "to compare";
  }
  SECTION("an offered digest of the wrong size") {
    session.next_send();
    session.on_message(FileChecked{kId, 0, 0, false, Digest{1, 2, 3}});
    expected = "STREAM_FILE_CHECKED of file 0 attempt 0: a digest of 3 bytes (SHA-256 has 32)";
  }
  CHECK(session.state() == State::failed);
  CHECK(session.failure_reason() == expected);
}

TEST_CASE("a receiver refuses data before its answer and for a file its sink holds", "[stream][skip]") {
  Session session(kId, skip_settings());
  MapExports none;
  session.follow(Prepare{kId, 1, 4, {}, 2}, none);
  session.take_effects();
  session.on_message(FileHeader{kId, 0, 0, "a", 4, 0644, 0, {}, sha256_of("abcd")});
  Effects effects = session.take_effects();
  REQUIRE(effects.sink_calls.size() == 1);
  const auto lookup = std::get<SinkLookup>(effects.sink_calls[0]);
  CHECK(lookup.path == "a");
  CHECK(lookup.size == 4);
  std::string expected;
  SECTION("a chunk before the answer") {
    session.on_message(Chunk{kId, 0, 0, 0, 0, 4});
    expected = "STREAM_CHUNK of file 0 attempt 0 before this side's STREAM_FILE_CHECKED";
  }
  SECTION("STREAM_FILE_DONE before the answer") {
    session.on_message(FileDone{kId, 0, 0, sha256_of("abcd")});
    expected = "STREAM_FILE_DONE of file 0 attempt 0 before this side's STREAM_FILE_CHECKED";
  }
  SECTION("a chunk after the answer 'held'") {
    session.on_sink_result(lookup_found("abcd"));
    CHECK(std::get<FileChecked>(session.take_effects().messages.at(0)) == FileChecked{kId, 0, 0, true, {}});
    session.on_message(Chunk{kId, 0, 0, 0, 0, 4});
    expected = "STREAM_CHUNK of file 0 attempt 0, which this side's sink holds";
  }
  SECTION("a held file's STREAM_FILE_DONE with another digest") {
    session.on_sink_result(lookup_found("abcd"));
    session.on_message(FileDone{kId, 0, 0, sha256_of("abce")});
    expected = "STREAM_FILE_DONE of file 0 attempt 0 with SHA-256 ";
  }
  CHECK(session.state() == State::failed);
  CHECK_THAT(session.failure_reason(), Catch::StartsWith(expected));
}

TEST_CASE("a held file's STREAM_FILE_DONE completes the receiver without a commit", "[stream][skip]") {
  Effects answer;
  Session session = follower_after_lookup(sha256_of("abcd"), "abcd", answer);
  CHECK(answer.sink_calls.empty());
  session.on_message(FileDone{kId, 0, 0, sha256_of("abcd")});
  Effects effects = session.take_effects();
  CHECK(effects.sink_calls.empty());
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::holds_alternative<Complete>(effects.messages[0]));
  CHECK(session.state() == State::wait_complete);
  CHECK(session.files_skipped() == 1);
}

TEST_CASE("an offered file ends with the offered digest, or its data comes and is received", "[stream][skip]") {
  Effects answer;
  Session session = follower_after_lookup({}, "abcd", answer);
  REQUIRE(answer.messages.size() == 1);
  CHECK(std::get<FileChecked>(answer.messages[0]) == FileChecked{kId, 0, 0, false, sha256_of("abcd")});
  CHECK(answer.sink_calls.empty());  // nothing is opened until the sender has decided
  SECTION("the sender's file is the held one") {
    session.on_message(FileDone{kId, 0, 0, sha256_of("abcd")});
    Effects effects = session.take_effects();
    CHECK(effects.sink_calls.empty());
    REQUIRE_FALSE(effects.messages.empty());
    CHECK(std::get<FileCommitted>(effects.messages[0]) == FileCommitted{kId, 0});
    CHECK(session.state() == State::wait_complete);
    CHECK(session.files_skipped() == 1);
  }
  SECTION("the sender's file differs: its data is received and committed") {
    session.on_message(Chunk{kId, 0, 0, 0, crc32c(bytes_of("abce")), 4});
    session.on_payload(bytes_of("abce"));
    Effects effects = session.take_effects();
    REQUIRE(effects.sink_calls.size() == 2);
    CHECK(std::get<SinkOpen>(effects.sink_calls[0]).path == "a");
    CHECK(std::get<SinkWrite>(effects.sink_calls[1]).offset == 0);
    session.on_sink_result(SinkResult{0, 0, SinkOp::open, std::nullopt});
    session.on_sink_result(SinkResult{0, 0, SinkOp::write, std::nullopt});
    session.on_message(FileDone{kId, 0, 0, sha256_of("abce")});
    effects = session.take_effects();
    REQUIRE(effects.sink_calls.size() == 1);
    CHECK(std::holds_alternative<SinkCommit>(effects.sink_calls[0]));
    CHECK(session.files_skipped() == 0);
  }
  SECTION("a STREAM_FILE_DONE with another digest and no data is a file the chunks of which are missing") {
    session.on_message(FileDone{kId, 0, 0, sha256_of("abce")});
    CHECK(session.state() == State::failed);
    CHECK(session.failure_reason() == "STREAM_FILE_DONE of file 0 attempt 0 before the chunk at offset 0");
  }
}
