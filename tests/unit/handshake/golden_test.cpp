// The golden vectors pin every byte of every frame type: each file decodes to the fixed values of
// support.hpp, and those values encode back to the file's bytes exactly.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "handshake/frame_codec.hpp"
#include "handshake/frame_reader.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

// Hex digits, any white space, '#' to the end of a line is a comment.
Bytes read_hex(const std::string& name) {
  const std::string path = std::string(FERRY_SOURCE_DIR) + "/tests/golden/handshake/" + name;
  std::ifstream in(path);
  REQUIRE(in.good());
  std::string digits, line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    for (char c : line)
      if (!std::isspace(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  REQUIRE(digits.size() % 2 == 0);
  Bytes bytes;
  for (size_t i = 0; i < digits.size(); i += 2)
    bytes.push_back(static_cast<uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  return bytes;
}

Frame only_frame(const Bytes& bytes, uint16_t type) {
  FrameReader reader;
  ReadStep step = reader.read(bytes);
  REQUIRE(step.frame);
  REQUIRE(step.consumed == bytes.size());
  REQUIRE(step.frame->version == 1);
  REQUIRE(step.frame->type == type);
  return std::move(*step.frame);
}

}  // namespace

TEST_CASE("Golden IDENTIFY", "[handshake][golden]") {
  const Bytes bytes = read_hex("identify.hex");
  auto decoded = decode_identify(only_frame(bytes, frame_type::identify).body);
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == golden_identify());
  CHECK(encode(decoded.value()) == bytes);
}

TEST_CASE("Golden REQUEST", "[handshake][golden]") {
  const Bytes bytes = read_hex("request.hex");
  auto decoded = decode_request(only_frame(bytes, frame_type::request).body);
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == golden_request());
  CHECK(encode(decoded.value()) == bytes);
}

TEST_CASE("Golden ACCEPT", "[handshake][golden]") {
  const Bytes bytes = read_hex("accept.hex");
  auto decoded = decode_accept(only_frame(bytes, frame_type::accept).body);
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == golden_accept());
  CHECK(encode(decoded.value()) == bytes);
}

TEST_CASE("Golden REFUSE", "[handshake][golden]") {
  const Bytes bytes = read_hex("refuse.hex");
  auto decoded = decode_refuse(only_frame(bytes, frame_type::refuse).body);
  REQUIRE(decoded.ok());
  CHECK(decoded.value() == golden_refuse());
  CHECK(encode(decoded.value()) == bytes);
}
