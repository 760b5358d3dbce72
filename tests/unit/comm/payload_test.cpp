// Messages with a payload (STREAM_CHUNK): the payload arrives whole and in order, piece by piece, each
// piece bounded by the read buffer, whether it was sent from memory or as a file's range (sendfile);
// in stable mode it is read into the memory the receiver names; acknowledgements follow payload bytes; a
// closed read gate holds the sender back.
#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <functional>

#include "protocol/messages_stream.hpp"
#include "test_certificates.hpp"
#include "test_node.hpp"

using namespace ferry::comm_test;

namespace {

constexpr size_t kPayload = 1536u << 10;  // more than the largest read buffer (1 MiB)

std::vector<uint8_t> pattern(uint64_t seed) {
  std::vector<uint8_t> bytes(kPayload);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(seed * 31 + i * 7 + (i >> 12));
  return bytes;
}

// What the receiving node saw: whole payloads reassembled from their pieces, in arrival order.
struct Chunks {
  std::mutex mutex;
  std::vector<uint64_t> offsets;  // of the chunk messages, in order
  std::vector<std::vector<uint8_t>> payloads;
  size_t largest_piece = 0;
};

void collect(TestNode& node, Chunks& chunks) {
  node.communicator().set_stream_handlers(
      [&chunks](const std::string&, uint32_t, const ferry::protocol::MessageView& message) {
        auto read = ferry::protocol::streaming::read(message);
        REQUIRE(std::holds_alternative<ferry::stream::StreamMessage>(read));
        const auto& chunk = std::get<ferry::stream::Chunk>(std::get<ferry::stream::StreamMessage>(read));
        std::lock_guard lock(chunks.mutex);
        chunks.offsets.push_back(chunk.offset);
        chunks.payloads.emplace_back();
      },
      [&chunks](const std::string&, uint32_t, std::span<const uint8_t> piece) {
        std::lock_guard lock(chunks.mutex);
        chunks.largest_piece = std::max(chunks.largest_piece, piece.size());
        chunks.payloads.back().insert(chunks.payloads.back().end(), piece.begin(), piece.end());
      });
}

// Sends `count` chunks of kPayload bytes; chunk i's payload is payload_of(i).
void send_chunks(TestNode& from, const std::string& to, uint64_t count,
                 const std::function<ferry::comm::Payload(uint64_t)>& payload_of) {
  for (uint64_t i = 0; i < count; ++i) {
    ferry::protocol::streaming::Scratch scratch;
    const ferry::stream::Chunk chunk{{}, 0, 0, i * kPayload, 0, kPayload};
    from.communicator().send(to, ferry::protocol::streaming::build(chunk, scratch), payload_of(i),
                             [&from](const ferry::comm::SendResult& result) {
                               std::lock_guard lock(from.outcomes().mutex);
                               if (result.delivered)
                                 ++from.outcomes().delivered;
                               else
                                 from.outcomes().failures.push_back(result.reason);
                             });
  }
}

// Chunk i from memory: pattern(i).
void send_chunks(TestNode& from, const std::string& to, uint64_t count) {
  send_chunks(from, to, count, [](uint64_t i) { return ferry::comm::Payload(pattern(i)); });
}

// Chunk i as bytes i * kPayload .. of one file holding pattern(0), pattern(1), ...: sent with sendfile.
void send_file_chunks(TestNode& from, const std::string& to, uint64_t count) {
  auto file = std::make_shared<ferry::util::UniqueFd>(::memfd_create("payload-test", MFD_CLOEXEC));
  REQUIRE(file->valid());
  for (uint64_t i = 0; i < count; ++i) {
    const auto bytes = pattern(i);
    REQUIRE(::write(file->get(), bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }
  send_chunks(from, to, count,
              [file](uint64_t i) { return ferry::comm::Payload(ferry::comm::FileRange{file, i * kPayload, kPayload}); });
}

// beta connected to alpha, whose chunks land in `chunks`.
void connect_collecting(TestNode& alpha, TestNode& beta, Chunks& chunks) {
  collect(alpha, chunks);
  beta.communicator().connect(alpha.address());
  REQUIRE(eventually([&] { return beta.communicator().connections().size() == 1; }));
}

size_t chunks_received(Chunks& chunks) {
  std::lock_guard lock(chunks.mutex);
  size_t whole = 0;
  for (const auto& payload : chunks.payloads) whole += payload.size() == kPayload ? 1 : 0;
  return whole;
}

}  // namespace

TEST_CASE("Payloads arrive whole, in order and acknowledged, in pieces no larger than the read buffer",
          "[comm][payload]") {
  const char* version = GENERATE("1.0", "1.1", "2.0");
  // Acknowledgements by count alone would wait for 1000 messages: payload bytes must trigger them.
  TestNode alpha("alpha", {"communication.ack_threshold=1000", "communication.ack_interval=1m"});
  TestNode beta("beta", {std::string("protocol.max_version=") + version});
  Chunks chunks;
  connect_collecting(alpha, beta, chunks);
  // 14 chunks of 1.5 MiB: every second brings the payload bytes since the last ACK past 2 MiB.
  send_chunks(beta, alpha.id(), 14);

  REQUIRE(eventually([&] { return chunks_received(chunks) == 14; }));
  CHECK(eventually([&] { return delivered(beta) == 14; }));
  std::lock_guard lock(chunks.mutex);
  for (uint64_t i = 0; i < 14; ++i) {
    CHECK(chunks.offsets[i] == i * kPayload);
    CHECK(chunks.payloads[i] == pattern(i));
  }
  CHECK(chunks.largest_piece <= (1u << 20));
}

TEST_CASE("File-range payloads arrive as the file's bytes, in every codec's framing", "[comm][payload]") {
  const char* version = GENERATE("1.0", "1.1", "2.0");
  TestNode alpha("alpha", {}), beta("beta", {std::string("protocol.max_version=") + version});
  Chunks chunks;
  connect_collecting(alpha, beta, chunks);
  send_file_chunks(beta, alpha.id(), 10);

  REQUIRE(eventually([&] { return chunks_received(chunks) == 10; }));
  CHECK(eventually([&] { return delivered(beta) == 10; }));
  std::lock_guard lock(chunks.mutex);
  for (uint64_t i = 0; i < 10; ++i) CHECK(chunks.payloads[i] == pattern(i));
}

namespace {

// A receiver that names where each payload goes, as the stream service does with a chunk's buffer.
struct InPlace {
  std::mutex mutex;
  std::vector<std::shared_ptr<std::vector<uint8_t>>> payloads;  // whole, in arrival order
  size_t filled = 0;                                           // of the last one
  uint64_t bytes_in_place = 0, bytes_copied = 0;
};

void collect_in_place(TestNode& node, InPlace& in_place) {
  node.communicator().set_stream_handlers(
      [&in_place](const std::string&, uint32_t, const ferry::protocol::MessageView&) {
        std::lock_guard lock(in_place.mutex);
        in_place.payloads.push_back(std::make_shared<std::vector<uint8_t>>(kPayload));
        in_place.filled = 0;
      },
      [&in_place](const std::string&, uint32_t, std::span<const uint8_t> piece) {
        std::lock_guard lock(in_place.mutex);
        std::vector<uint8_t>& payload = *in_place.payloads.back();
        REQUIRE(in_place.filled + piece.size() <= payload.size());
        uint8_t* to = payload.data() + in_place.filled;
        if (piece.data() == to) {
          in_place.bytes_in_place += piece.size();
        } else {
          std::memcpy(to, piece.data(), piece.size());
          in_place.bytes_copied += piece.size();
        }
        in_place.filled += piece.size();
      },
      [&in_place](const std::string&, uint32_t) {
        std::lock_guard lock(in_place.mutex);
        const auto& payload = in_place.payloads.back();
        return ferry::comm::PayloadTarget{std::span(*payload).subspan(in_place.filled), payload};
      });
}

}  // namespace

TEST_CASE("In stable mode payloads are read into the memory the receiver names, in plain and over TLS",
          "[comm][payload]") {
  const bool tls = GENERATE(false, true);
  INFO((tls ? "TLS" : "plain"));
  ferry::test::TestPki pki;
  const auto ca = pki.authority("ca");
  const auto settings = [&](const std::string& name) -> std::vector<std::string> {
    if (!tls) return {};
    const auto own = pki.leaf(name, "ca", {{name}});
    return {"tls.enabled=true", "tls.required=true", "tls.cert=" + own.cert, "tls.key=" + own.key,
            "tls.ca=" + ca.cert};
  };
  TestNode alpha("alpha", settings("alpha")), beta("beta", settings("beta"));
  InPlace in_place;
  collect_in_place(alpha, in_place);
  beta.communicator().connect(alpha.address());
  REQUIRE(eventually([&] { return beta.communicator().connections().size() == 1; }));
  send_chunks(beta, alpha.id(), 8);

  REQUIRE(eventually([&] { return delivered(beta) == 8; }));
  std::lock_guard lock(in_place.mutex);
  REQUIRE(in_place.payloads.size() == 8);
  for (uint64_t i = 0; i < 8; ++i) CHECK(*in_place.payloads[i] == pattern(i));
  // Only what a read took with a message's header goes through the connection's buffer.
  CHECK(in_place.bytes_in_place > 8 * kPayload * 3 / 4);
  CHECK(in_place.bytes_in_place + in_place.bytes_copied == 8 * kPayload);
}

TEST_CASE("A closed read gate holds the sender back until it opens", "[comm][payload]") {
  TestNode alpha("alpha", {}), beta("beta", {});
  Chunks chunks;
  std::atomic<bool> open{false};
  alpha.communicator().set_read_gate([&open] { return open.load(); });
  connect_collecting(alpha, beta, chunks);
  send_chunks(beta, alpha.id(), 4);
  std::this_thread::sleep_for(300ms);
  CHECK(chunks_received(chunks) == 0);
  CHECK(delivered(beta) == 0);

  open = true;
  REQUIRE(eventually([&] { return chunks_received(chunks) == 4; }));
  CHECK(eventually([&] { return delivered(beta) == 4; }));
}

TEST_CASE("A small message right after payloads read in place arrives: a payload's wake-up size ends with it",
          "[comm][payload]") {
  // A payload read in place wakes the reader only once many of its bytes wait (SO_RCVLOWAT); the message
  // after it is a few bytes, and the peer sends nothing more until it is answered.
  TestNode alpha("alpha", {}), beta("beta", {});
  InPlace in_place;
  collect_in_place(alpha, in_place);
  beta.communicator().connect(alpha.address());
  REQUIRE(eventually([&] { return beta.communicator().connections().size() == 1; }));
  for (uint64_t round = 1; round <= 3; ++round) {
    send_chunks(beta, alpha.id(), 1);
    beta.send_all(alpha.id(), 1, 1);
    REQUIRE(eventually([&] {
      std::lock_guard lock(alpha.received().mutex);
      return alpha.received().in_order == round;
    }));
  }
  CHECK(eventually([&] { return delivered(beta) == 6; }));
}
