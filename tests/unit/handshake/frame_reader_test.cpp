#include "handshake/frame_reader.hpp"

#include <catch2/catch.hpp>

#include "handshake/big_endian.hpp"
#include "handshake/record_writer.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using ferry::handshake::testing::Bytes;

namespace {

Bytes sample_frame(uint16_t type = frame_type::request, size_t body_bytes = 20) {
  RecordWriter body;
  body.string(tag::node_name, std::string(body_bytes - record_header_size, 'x'));
  return body.frame(type);
}

Bytes header(std::array<uint8_t, 4> magic_bytes, uint16_t version, uint16_t type, uint32_t length) {
  Bytes out(magic_bytes.begin(), magic_bytes.end());
  put_u16(out, version);
  put_u16(out, type);
  put_u32(out, length);
  return out;
}

}  // namespace

TEST_CASE("A frame read in one piece", "[handshake][reader]") {
  const Bytes frame = sample_frame();
  FrameReader reader;
  const ReadStep step = reader.read(frame);
  CHECK(step.consumed == frame.size());
  REQUIRE(step.frame);
  CHECK_FALSE(step.error);
  CHECK(step.frame->version == 1);
  CHECK(step.frame->type == frame_type::request);
  CHECK(step.frame->body == Bytes(frame.begin() + header_size, frame.end()));
  CHECK(reader.pending() == 0);
}

TEST_CASE("A frame read byte by byte completes on its last byte", "[handshake][reader]") {
  const Bytes frame = sample_frame();
  FrameReader reader;
  for (size_t i = 0; i + 1 < frame.size(); ++i) {
    const ReadStep step = reader.read(std::span(frame).subspan(i, 1));
    REQUIRE(step.consumed == 1);
    REQUIRE_FALSE(step.frame);
    REQUIRE_FALSE(step.error);
    REQUIRE(reader.pending() == i + 1);
  }
  const ReadStep last = reader.read(std::span(frame).last(1));
  REQUIRE(last.frame);
  CHECK(last.frame->body.size() == 20);
}

TEST_CASE("The reader never consumes past a frame's end", "[handshake][reader]") {
  Bytes stream = sample_frame(frame_type::identify, 8);
  const size_t first_size = stream.size();
  const Bytes second = sample_frame(frame_type::accept, 30);
  stream.insert(stream.end(), second.begin(), second.end());
  const Bytes codec = {0xDE, 0xAD, 0xBE, 0xEF};
  stream.insert(stream.end(), codec.begin(), codec.end());

  for (size_t split = 0; split <= stream.size(); ++split) {
    FrameReader reader;
    std::vector<uint16_t> types;
    size_t offset = 0;
    // Deliver the stream in two reads split at `split`; keep reading each piece until it is used up or
    // the second frame is complete.
    for (auto piece : {std::span(stream).first(split), std::span(stream).subspan(split)}) {
      while (!piece.empty() && types.size() < 2) {
        const ReadStep step = reader.read(piece);
        REQUIRE_FALSE(step.error);
        piece = piece.subspan(step.consumed);
        offset += step.consumed;
        if (step.frame) types.push_back(step.frame->type);
        if (types.size() == 1 && step.frame) REQUIRE(offset == first_size);
      }
      if (types.size() == 2) break;
    }
    REQUIRE(types == std::vector<uint16_t>{frame_type::identify, frame_type::accept});
    CHECK(Bytes(stream.begin() + static_cast<std::ptrdiff_t>(offset), stream.end()) == codec);
  }
}

TEST_CASE("An empty body is a complete frame", "[handshake][reader]") {
  const Bytes frame = RecordWriter{}.frame(0x8123);
  FrameReader reader;
  const ReadStep step = reader.read(frame);
  REQUIRE(step.frame);
  CHECK(step.frame->type == 0x8123);
  CHECK(step.frame->body.empty());
}

TEST_CASE("Wrong magic is refused, with a hint for TLS bytes", "[handshake][reader]") {
  FrameReader reader;
  const Bytes http = {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1'};
  const ReadStep step = reader.read(http);
  REQUIRE(step.error);
  CHECK(step.error->reason ==
        "wrong magic 47 45 54 20 (expected 46 45 52 59, \"FERY\"): the peer does not speak the ferry handshake");

  FrameReader tls_reader;
  const Bytes client_hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x00};
  const ReadStep tls = tls_reader.read(client_hello);
  REQUIRE(tls.error);
  CHECK_THAT(tls.error->reason, Catch::EndsWith("its bytes look like TLS: is TLS enabled on one side only?"));
}

TEST_CASE("Handshake version 0 is refused; later versions are read", "[handshake][reader]") {
  FrameReader zero;
  const ReadStep step = zero.read(header(magic, 0, frame_type::identify, 0));
  REQUIRE(step.error);
  CHECK(step.error->reason == "handshake version 0 is invalid");

  FrameReader later;
  const ReadStep read = later.read(header(magic, 7, 0x0042, 0));
  REQUIRE(read.frame);
  CHECK(read.frame->version == 7);
  CHECK(read.frame->type == 0x0042);
}

TEST_CASE("Bodies over 64 KiB are refused from the header alone", "[handshake][reader]") {
  FrameReader reader;
  const ReadStep step = reader.read(header(magic, 1, frame_type::request, max_body_size + 1));
  REQUIRE(step.error);
  CHECK(step.error->reason == "frame body of 65537 bytes exceeds the limit of 65536");
  CHECK(step.consumed == header_size);

  FrameReader largest;
  Bytes frame = header(magic, 1, frame_type::request, max_body_size);
  frame.resize(header_size + max_body_size, 0);
  const ReadStep full = largest.read(frame);
  REQUIRE(full.frame);
  CHECK(full.frame->body.size() == max_body_size);
}

TEST_CASE("A failed reader stays failed and consumes nothing", "[handshake][reader]") {
  FrameReader reader;
  REQUIRE(reader.read(header({'N', 'O', 'P', 'E'}, 1, 1, 0)).error);
  const Bytes good = sample_frame();
  const ReadStep again = reader.read(good);
  CHECK(again.consumed == 0);
  CHECK(again.error);
  CHECK_FALSE(again.frame);
}
