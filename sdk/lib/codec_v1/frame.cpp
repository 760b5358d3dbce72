#include "codec_v1/frame.hpp"

#include <ferry/plugin.hpp>

namespace ferry::codec_v1 {
namespace {

std::string hex_byte(uint8_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  return std::string("0x") + digits[value >> 4] + digits[value & 0xf];
}

}  // namespace

FrameHeader read_frame_header(std::span<const uint8_t> input) {
  const uint8_t flags = input[0];
  if ((flags & ~kContinuationFlag) != 0)
    throw sdk::Error(FERRY_ERR_PROTOCOL, "frame flags " + hex_byte(flags) + " set reserved bits (only bit 0, " +
                                             "continuation, is defined)");
  const size_t length = static_cast<size_t>(input[1]) << 8 | input[2];
  if (length <= kFrameHeaderSize)
    throw sdk::Error(FERRY_ERR_PROTOCOL, "frame length " + std::to_string(length) +
                                             " is below 4: a frame counts its 3-byte header and carries at least "
                                             "one byte");
  return FrameHeader{(flags & kContinuationFlag) != 0, length - kFrameHeaderSize};
}

void write_frame_header(bool continuation, size_t body, uint8_t* out) {
  const size_t length = body + kFrameHeaderSize;
  out[0] = continuation ? kContinuationFlag : 0;
  out[1] = static_cast<uint8_t>(length >> 8);
  out[2] = static_cast<uint8_t>(length);
}

}  // namespace ferry::codec_v1
