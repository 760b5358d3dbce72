#include <catch2/catch.hpp>

#include "config/peer_entry.hpp"
#include "support.hpp"

using namespace ferry::config;
using test::all_errors;
using test::load;

TEST_CASE("a peer entry is an address, or the node id expected there and the address", "[peers]") {
  CHECK(split_peer("127.0.0.1:7400").address == "127.0.0.1:7400");
  CHECK(split_peer("127.0.0.1:7400").expected_id.empty());

  const PeerEntry pinned = split_peer("0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70@127.0.0.1:7400");
  CHECK(pinned.address == "127.0.0.1:7400");
  CHECK(pinned.expected_id == "0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70");

  // Unix socket addresses: an abstract socket, and paths whose '@' comes after a '/'.
  CHECK(split_peer("@ferry-a").address == "@ferry-a");
  CHECK(split_peer("@ferry-a").expected_id.empty());
  CHECK(split_peer("./a@b.sock").address == "./a@b.sock");
  CHECK(split_peer("/run/ferry/a@b.sock").expected_id.empty());
  const PeerEntry abstract = split_peer("0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70@@ferry-a");
  CHECK(abstract.address == "@ferry-a");
  CHECK(abstract.expected_id == "0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70");
}

TEST_CASE("peers with a node id load and keep the entry as written", "[peers]") {
  LoadResult result = load(
      "[transport]\npeers = [\"0F8E5C2A-7D4B-4C1E-9A3F-6B2D8E1C5A70@127.0.0.1:7400\", \"127.0.0.1:7401\"]\n");
  INFO(all_errors(result));
  REQUIRE(result.config);
  CHECK(result.config->transport.peers ==
        std::vector<std::string>{"0F8E5C2A-7D4B-4C1E-9A3F-6B2D8E1C5A70@127.0.0.1:7400", "127.0.0.1:7401"});
}

TEST_CASE("a peer's node id must be a UUID and be followed by an address", "[peers]") {
  LoadResult result = load("[transport]\npeers = [\"node-b@127.0.0.1:7400\", \"0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70@\"]\n");
  REQUIRE(result.errors.size() == 2);
  CHECK(result.errors[0].to_string() ==
        "test.toml:2:10: transport.peers[0]: expected ADDRESS or NODE_ID@ADDRESS, with NODE_ID a UUID like "
        "\"0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70\", got \"node-b@127.0.0.1:7400\"");
  CHECK(result.errors[1].to_string() ==
        "test.toml:2:35: transport.peers[1]: expected an address after the node id in "
        "\"0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70@\"");
}

TEST_CASE("a peer entry given with --set is checked the same way", "[peers]") {
  LoadResult result = load("", {"transport.peers=[\"12345@127.0.0.1:1\"]"});
  REQUIRE(result.errors.size() == 1);
  CHECK_THAT(result.errors[0].to_string(), Catch::StartsWith("--set transport.peers[0]: expected ADDRESS or NODE_ID@ADDRESS"));
}
