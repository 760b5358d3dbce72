// Whole handshakes in memory, both roles, with the bytes of each direction split everywhere.
#include <catch2/catch.hpp>

#include "handshake/frame_codec.hpp"
#include "handshake/record_writer.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

const Bytes codec_bytes = {0x00, 0x05, 0xC0, 0xDE, 'F', 'E', 'R', 'Y'};

void check_accepted_pair(const Exchange& run) {
  const Accepted& r = accepted(run.responder);
  const Accepted& i = accepted(run.initiator);
  CHECK(r.peer == Peer{beta().id, "beta", beta().incarnation});
  CHECK(i.peer == Peer{alpha().id, "alpha", alpha().incarnation});
  CHECK(r.agreement == Agreement{1, {1, 1}, {1, 1}, Mode::stable, checksum_bit | acks_bit | compression_bit});
  CHECK(i.agreement == r.agreement);
  CHECK(r.leftover.empty());
  CHECK(i.leftover == codec_bytes);
}

}  // namespace

TEST_CASE("A whole handshake in memory", "[handshake][exchange]") {
  FakeHost hosts[2];
  LocalNode responder = alpha(), initiator = beta();
  for (LocalNode* node : {&responder, &initiator}) {
    node->settings[0].value = "4";  // connections_per_peer, so that index 2 exists
    node->connection_slots = 4;
  }
  const Exchange run =
      exchange(responder, initiator, hosts[0], hosts[1], {.connection_index = 2, .codec_bytes = codec_bytes});
  check_accepted_pair(run);
  CHECK(accepted(run.responder).connection_index == 2);
  CHECK(accepted(run.initiator).connection_index == 2);
  CHECK(decode_identify(std::span(run.identify).subspan(header_size)).value().nonce == nonce(0xA0));
  CHECK(decode_request(std::span(run.request).subspan(header_size)).value().nonce == nonce(0xB0));
}

TEST_CASE("Each direction split at every byte boundary gives the same outcome", "[handshake][exchange]") {
  FakeHost hosts[2];
  const Exchange reference = exchange(alpha(), beta(), hosts[0], hosts[1], {.codec_bytes = codec_bytes});
  for (size_t at = 0; at <= reference.identify.size(); ++at) {
    INFO("IDENTIFY split at " << at);
    check_accepted_pair(
        exchange(alpha(), beta(), hosts[0], hosts[1], {.codec_bytes = codec_bytes, .split_identify = at}));
  }
  for (size_t at = 0; at <= reference.request.size(); ++at) {
    INFO("REQUEST split at " << at);
    check_accepted_pair(
        exchange(alpha(), beta(), hosts[0], hosts[1], {.codec_bytes = codec_bytes, .split_request = at}));
  }
  for (size_t at = 0; at <= reference.final_frame.size() + codec_bytes.size(); ++at) {
    INFO("ACCEPT and codec bytes split at " << at);
    const Exchange run = exchange(alpha(), beta(), hosts[0], hosts[1], {.codec_bytes = codec_bytes, .split_final = at});
    // Codec bytes in the first piece land in leftover; those in the second were never offered to the
    // handshake once it finished, and a real caller hands them to the codec directly.
    const Accepted& i = accepted(run.initiator);
    const size_t in_first = at >= reference.final_frame.size() ? at - reference.final_frame.size() : codec_bytes.size();
    CHECK(i.leftover == Bytes(codec_bytes.begin(), codec_bytes.begin() + static_cast<std::ptrdiff_t>(in_first)));
    CHECK(i.agreement == accepted(run.responder).agreement);
  }
}

TEST_CASE("Byte-by-byte delivery both ways", "[handshake][exchange]") {
  FakeHost hosts[2];
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(1));
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(2), {});
  const Step request = feed_bytewise(initiator, responder.start().send);
  const Step accept = feed_bytewise(responder, request.send);
  REQUIRE(accept.outcome);
  const Step done = feed_bytewise(initiator, accept.send);
  REQUIRE(done.outcome);
  CHECK(std::get<Accepted>(*done.outcome).agreement == std::get<Accepted>(*accept.outcome).agreement);
  CHECK(responder.finished());
  CHECK(initiator.finished());
}

TEST_CASE("Received counts are exchanged and apply only to the incarnation they were counted for",
          "[handshake][exchange]") {
  FakeHost hosts[2];
  SECTION("both processes lived on") {
    hosts[0].stored = {beta().incarnation, 7};
    hosts[1].stored = {alpha().incarnation, 5};
    const Exchange run = exchange(alpha(), beta(), hosts[0], hosts[1]);
    CHECK(accepted(run.responder).received == 7);
    CHECK(accepted(run.responder).peer_received == 5);
    CHECK(accepted(run.initiator).received == 5);
    CHECK(accepted(run.initiator).peer_received == 7);
  }
  SECTION("the responder restarted: the initiator's count died with its earlier incarnation") {
    hosts[0].stored = {beta().incarnation, 7};
    hosts[1].stored = {999, 5};
    const Exchange run = exchange(alpha(), beta(), hosts[0], hosts[1]);
    CHECK(decode_request(std::span(run.request).subspan(header_size)).value().expected_incarnation == 999);
    CHECK(accepted(run.responder).peer_received == 0);
    CHECK(accepted(run.initiator).received == 0);
    CHECK(accepted(run.initiator).peer_received == 7);
  }
  SECTION("the initiator restarted") {
    hosts[0].stored = {777, 7};
    hosts[1].stored = {alpha().incarnation, 5};
    const Exchange run = exchange(alpha(), beta(), hosts[0], hosts[1]);
    CHECK(accepted(run.responder).received == 0);
    CHECK(accepted(run.initiator).peer_received == 0);
    CHECK(accepted(run.responder).peer_received == 5);
  }
}

TEST_CASE("Frames of a later handshake version are understood; the lower version is agreed", "[handshake][exchange]") {
  FakeHost hosts[2];
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(1));
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(2), {});
  Bytes identify = responder.start().send;
  identify[5] = 3;  // handshake version 3
  // A later release may send advisory frames; this one skips them.
  const Bytes advisory = RecordWriter{}.string(0x0300, "hello from the future").frame(0x8001);
  Bytes stream = advisory;
  stream.insert(stream.end(), identify.begin(), identify.end());
  const Step request = initiator.feed(stream);
  REQUIRE_FALSE(request.outcome);
  const Step accept = responder.feed(request.send);
  Bytes accept_bytes = accept.send;
  accept_bytes[5] = 3;
  const Step done = initiator.feed(accept_bytes);
  CHECK(std::get<Accepted>(*done.outcome).agreement.handshake_version == 1);
}

TEST_CASE("Unknown mandatory and out-of-turn frames are protocol errors", "[handshake][exchange]") {
  FakeHost host;
  SECTION("an unknown frame type without the ignorable bit") {
    Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), host, nonce(2), {});
    Bytes frame = RecordWriter{}.frame(0x0007);
    frame[5] = 2;
    const Step step = initiator.feed(frame);
    CHECK(std::get<Refused>(*step.outcome).refusal ==
          Refuse{RefuseCode::protocol_error, "expected IDENTIFY, got frame type 0x0007 (handshake version 2)"});
    CHECK_FALSE(step.send.empty());
  }
  SECTION("a known frame out of turn") {
    Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), host, nonce(1));
    const Bytes identify = responder.start().send;
    const Step step = responder.feed(identify);
    CHECK(std::get<Refused>(*step.outcome).refusal.reason == "expected REQUEST, got IDENTIFY (handshake version 1)");
  }
}

TEST_CASE("The caller's bytes after the outcome stay the caller's", "[handshake][exchange]") {
  FakeHost hosts[2];
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(1));
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(2), {});
  Bytes request = initiator.feed(responder.start().send).send;
  request.insert(request.end(), codec_bytes.begin(), codec_bytes.end());
  const Step accept = responder.feed(request);
  CHECK(std::get<Accepted>(*accept.outcome).leftover == codec_bytes);
  const Step after = responder.feed(codec_bytes);
  CHECK(after.send.empty());
  CHECK_FALSE(after.outcome);
  CHECK(responder.expire(std::chrono::seconds(1)).send.empty());
  CHECK_FALSE(responder.end_of_stream().outcome);
}

TEST_CASE("IDENTIFY goes out even if start() was skipped", "[handshake][exchange]") {
  FakeHost host;
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), host, nonce(1));
  const Step first = responder.feed({});
  REQUIRE(first.send.size() > header_size);
  CHECK(decode_identify(std::span(first.send).subspan(header_size)).ok());
  CHECK(responder.feed({}).send.empty());
}

TEST_CASE("The peer closing mid-handshake is reported, with nothing to send", "[handshake][exchange]") {
  FakeHost hosts[2];
  Handshake responder = Handshake::responder(std::make_shared<const LocalNode>(alpha()), hosts[0], nonce(1));
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), hosts[1], nonce(2), {});
  initiator.feed(responder.start().send);
  initiator.feed(Bytes{'F', 'E', 'R', 'Y', 0});
  const Step step = initiator.end_of_stream();
  CHECK(step.send.empty());
  CHECK(std::get<Refused>(*step.outcome).refusal ==
        Refuse{RefuseCode::protocol_error,
               "the peer closed the connection while this node waited for ACCEPT (5 bytes into a frame)"});
  CHECK(std::get<Refused>(*step.outcome).peer->name == "alpha");
}

TEST_CASE("A peer's refusal is made printable", "[handshake][exchange]") {
  FakeHost host;
  Handshake initiator = Handshake::initiator(std::make_shared<const LocalNode>(beta()), host, nonce(2), {});
  const Step step = initiator.feed(encode(Refuse{RefuseCode::need_wait, "line one\nline two\x1b[31m"}));
  const Refused& refusal = std::get<Refused>(*step.outcome);
  CHECK(refusal.by == Side::peer);
  CHECK_FALSE(refusal.peer);
  CHECK(refusal.refusal.reason == "line one\\x0aline two\\x1b[31m");
  CHECK(step.send.empty());
}
