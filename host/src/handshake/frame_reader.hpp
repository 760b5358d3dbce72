// FrameReader: cuts a byte stream into handshake frames, sans-I/O. Feed it bytes split anywhere; it takes
// bytes up to the end of one frame and never beyond, so whatever follows the last handshake frame (the
// first codec bytes) stays with the caller. It holds at most one header and one body of max_body_size.
//
// The reader checks only the frozen header (magic, version, length); what a frame's type and body mean is
// for the decoders. After an error it stays failed: the stream cannot be resynchronised.
//
// Thread safety: none; one connection's reader is used by one thread at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "handshake/result.hpp"
#include "handshake/wire.hpp"

namespace ferry::handshake {

struct Frame {
  uint16_t version = 0;  // the sender's handshake version, >= 1
  uint16_t type = 0;
  std::vector<uint8_t> body;
};

struct ReadStep {
  size_t consumed = 0;         // bytes taken from the input
  std::optional<Frame> frame;  // set when a frame is complete
  std::optional<Error> error;  // set when the bytes are not a handshake frame
};

class FrameReader {
 public:
  // Takes bytes until one frame is complete or the input runs out. Without frame or error in the result,
  // all of the input was consumed and more is needed.
  ReadStep read(std::span<const uint8_t> input);

  // Bytes of a frame begun but not yet complete.
  size_t pending() const { return header_filled_ + body_.size(); }

 private:
  std::optional<Error> check_header();

  std::array<uint8_t, header_size> header_{};
  size_t header_filled_ = 0;
  uint32_t body_length_ = 0;
  std::vector<uint8_t> body_;
  std::optional<Error> failed_;
};

}  // namespace ferry::handshake
