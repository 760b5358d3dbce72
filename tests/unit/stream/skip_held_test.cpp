// Skipping files the receiving sink already holds (skip_held): the sender hashes each attempt first and
// waits for STREAM_FILE_CHECKED; a held file ends with its STREAM_FILE_DONE and no data, anything else is
// sent as before. Whole sessions joined in memory, then each rule a peer may break, by hand.
#include <catch2/catch.hpp>

#include "loopback.hpp"

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

}  // namespace

TEST_CASE("a re-run into a sink that holds every file sends no data", "[stream][skip]") {
  const std::vector<std::pair<std::string, std::string>> files{
      {"empty", ""}, {"one", "1"}, {"dir/long", "0123456789abcdefg"}};
  Pair first = pair_with(files, {});
  run(first);
  REQUIRE(first.initiator.states == kFullLife);
  CHECK(first.initiator.session->files_skipped() == 0);
  for (const FileChecked& checked : sent_of<FileChecked>(first.follower)) CHECK_FALSE(checked.held);
  CHECK(sent_of<FileChecked>(first.follower).size() == 3);

  Pair again = pair_with(files, first.follower.sink.committed);
  run(again);
  CHECK(again.initiator.states == kFullLife);
  CHECK(again.follower.states == kFullLife);
  CHECK(sent_of<Chunk>(again.initiator).empty());
  CHECK(sent_of<FileCommitted>(again.follower).empty());
  CHECK(again.follower.sink.open.empty());
  CHECK(again.follower.sink.aborted.empty());
  CHECK(again.follower.sink.looked_up == std::vector<std::string>{"empty", "one", "dir/long"});
  for (const FileHeader& header : sent_of<FileHeader>(again.initiator)) {
    INFO(header.path);
    CHECK(header.digest == sha256_of(first.follower.sink.committed.at(header.path)));
  }
  const auto checked = sent_of<FileChecked>(again.follower);
  REQUIRE(checked.size() == 3);
  for (const FileChecked& verdict : checked) CHECK(verdict.held);
  CHECK(again.initiator.session->files_skipped() == 3);
  CHECK(again.initiator.session->send_bytes_skipped() == 18);
  CHECK(again.follower.session->files_skipped() == 3);
  CHECK(again.follower.session->bytes_received() == 0);
}

TEST_CASE("a file whose content or size changed is sent, the others skipped", "[stream][skip]") {
  Pair pair = pair_with({{"same", "abcd"}, {"content", "xyq"}, {"size", "hello!"}, {"new", "n"}},
                        {{"same", "abcd"}, {"content", "xyz"}, {"size", "hello"}});
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  CHECK(files_of_chunks(pair.initiator) == std::vector<uint64_t>{1, 2, 3});
  CHECK(pair.follower.sink.committed ==
        std::map<std::string, std::string>{{"same", "abcd"}, {"content", "xyq"}, {"size", "hello!"}, {"new", "n"}});
  CHECK(pair.initiator.session->files_skipped() == 1);
  CHECK(pair.follower.session->files_skipped() == 1);
  CHECK(sent_of<FileCommitted>(pair.follower).size() == 3);
}

TEST_CASE("without skip_held agreed, or not asked for, nothing is looked up and every file is sent",
          "[stream][skip]") {
  const std::map<std::string, std::string> held{{"a", "abcd"}};
  SECTION("not agreed on the connection") {
    Pair pair = pair_with({{"a", "abcd"}}, held, skip_settings(false), skip_settings(false));
    run(pair);
    CHECK(sent_of<FileHeader>(pair.initiator).at(0).digest.empty());
    CHECK(pair.follower.sink.looked_up.empty());
    CHECK(sent_of<FileChecked>(pair.follower).empty());
    CHECK(sent_of<Chunk>(pair.initiator).size() == 1);
    CHECK(pair.initiator.session->files_skipped() == 0);
    CHECK(pair.initiator.states == kFullLife);
  }
  SECTION("agreed, but the sender's stream.skip_held is off") {
    Pair pair = pair_with({{"a", "abcd"}}, held, skip_settings(true, false), skip_settings());
    run(pair);
    CHECK(pair.follower.sink.looked_up.empty());
    CHECK(sent_of<Chunk>(pair.initiator).size() == 1);
    CHECK(pair.follower.session->files_skipped() == 0);
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
  REQUIRE(sent_of<FileChecked>(pair.follower).size() == 1);
  CHECK_FALSE(sent_of<FileChecked>(pair.follower)[0].held);
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

TEST_CASE("a retried attempt is hashed and checked again", "[stream][skip]") {
  Pair pair = pair_with({{"a", "abcdefgh"}}, {});
  bool corrupted = false;
  pair.initiator.corrupt = [&](const Chunk&, std::string& bytes) {
    if (!corrupted) bytes[0] ^= 1;
    corrupted = true;
  };
  run(pair);
  CHECK(pair.initiator.states == kFullLife);
  const auto checked = sent_of<FileChecked>(pair.follower);
  REQUIRE(checked.size() == 2);
  CHECK(checked[0] == FileChecked{kId, 0, 0, false});
  CHECK(checked[1] == FileChecked{kId, 0, 1, false});
  CHECK(pair.follower.sink.committed.at("a") == "abcdefgh");
  CHECK(pair.initiator.session->retries() == 1);
}

TEST_CASE("a sender waits for the digest, then for the verdict, and a held file ends at once", "[stream][skip]") {
  Session session(kId, skip_settings(), {SourceFile{"a", "/a", 6, 0644, 0, {}, {}}, SourceFile{"b", "/b", 1, 0644, 0, {}, {}}},
                  {});
  session.start();
  session.on_message(PrepareAck{kId, 0, 0});
  session.take_effects();
  const auto hash = std::get<HashFile>(*session.next_send());
  CHECK(hash.file == 0);
  CHECK(hash.source == "/a");
  CHECK(hash.ranges == std::vector<ByteRange>{{0, 6}});
  CHECK_FALSE(session.next_send().has_value());  // hashing
  session.file_hashed(0, 0, sha256_of("abcdef"));
  CHECK(std::get<FileHeader>(*session.next_send()).digest == sha256_of("abcdef"));
  CHECK_FALSE(session.next_send().has_value());  // waiting for the verdict
  session.on_message(FileChecked{kId, 0, 0, true});
  const auto done = std::get<FileDone>(*session.next_send());
  CHECK(done == FileDone{kId, 0, 0, sha256_of("abcdef")});
  CHECK(std::get<HashFile>(*session.next_send()).file == 1);
  session.file_hashed(1, 0, sha256_of("x"));
  std::get<FileHeader>(*session.next_send());
  session.on_message(FileChecked{kId, 1, 0, false});
  CHECK(std::get<ReadChunk>(*session.next_send()).length == 1);
  CHECK(session.state() == State::streaming);
  CHECK(session.files_skipped() == 1);
}

TEST_CASE("verdicts a sender did not wait for fail the session", "[stream][skip]") {
  Session session(kId, skip_settings(), {SourceFile{"a", "/a", 6, 0644, 0, {}, {}}}, {});
  session.start();
  session.on_message(PrepareAck{kId, 0, 0});
  session.take_effects();
  std::string expected;
  SECTION("while it hashes") {
    session.next_send();
    session.on_message(FileChecked{kId, 0, 0, true});
    expected = "STREAM_FILE_CHECKED of file 0 attempt 0, which this side is not waiting for";
  }
  SECTION("for another attempt") {
    session.next_send();
    session.file_hashed(0, 0, sha256_of("abcdef"));
    session.next_send();
    session.on_message(FileChecked{kId, 0, 1, true});
    expected = "STREAM_FILE_CHECKED of file 0 attempt 1, which this side is not waiting for";
  }
  SECTION("twice") {
    session.next_send();
    session.file_hashed(0, 0, sha256_of("abcdef"));
    session.next_send();
    session.on_message(FileChecked{kId, 0, 0, false});
    session.on_message(FileChecked{kId, 0, 0, false});
    expected = "STREAM_FILE_CHECKED of file 0 attempt 0, which this side is not waiting for";
  }
  CHECK(session.state() == State::failed);
  CHECK(session.failure_reason() == expected);
}

TEST_CASE("a receiver refuses data before its verdict and for a file its sink holds", "[stream][skip]") {
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
  CHECK(lookup.digest == sha256_of("abcd"));
  std::string expected;
  SECTION("a chunk before the verdict") {
    session.on_message(Chunk{kId, 0, 0, 0, 0, 4});
    expected = "STREAM_CHUNK of file 0 attempt 0 before this side's STREAM_FILE_CHECKED";
  }
  SECTION("STREAM_FILE_DONE before the verdict") {
    session.on_message(FileDone{kId, 0, 0, sha256_of("abcd")});
    expected = "STREAM_FILE_DONE of file 0 attempt 0 before this side's STREAM_FILE_CHECKED";
  }
  SECTION("a chunk after the verdict 'held'") {
    SinkResult held{0, 0, SinkOp::lookup, std::nullopt};
    held.held = true;
    session.on_sink_result(held);
    CHECK(std::get<FileChecked>(session.take_effects().messages.at(0)) == FileChecked{kId, 0, 0, true});
    session.on_message(Chunk{kId, 0, 0, 0, 0, 4});
    expected = "STREAM_CHUNK of file 0 attempt 0, which this side's sink holds";
  }
  SECTION("a held file's STREAM_FILE_DONE with another digest") {
    SinkResult held{0, 0, SinkOp::lookup, std::nullopt};
    held.held = true;
    session.on_sink_result(held);
    session.on_message(FileDone{kId, 0, 0, sha256_of("abce")});
    expected = "STREAM_FILE_DONE of file 0 attempt 0 with SHA-256 ";
  }
  CHECK(session.state() == State::failed);
  CHECK_THAT(session.failure_reason(), Catch::StartsWith(expected));
}

TEST_CASE("a held file's STREAM_FILE_DONE completes the receiver without a commit", "[stream][skip]") {
  Session session(kId, skip_settings());
  MapExports none;
  session.follow(Prepare{kId, 1, 4, {}, 2}, none);
  session.take_effects();
  session.on_message(FileHeader{kId, 0, 0, "a", 4, 0644, 0, {}, sha256_of("abcd")});
  session.take_effects();
  SinkResult held{0, 0, SinkOp::lookup, std::nullopt};
  held.held = true;
  session.on_sink_result(held);
  session.take_effects();
  session.on_message(FileDone{kId, 0, 0, sha256_of("abcd")});
  Effects effects = session.take_effects();
  CHECK(effects.sink_calls.empty());
  REQUIRE(effects.messages.size() == 1);
  CHECK(std::holds_alternative<Complete>(effects.messages[0]));
  CHECK(session.state() == State::wait_complete);
  CHECK(session.files_skipped() == 1);
}
