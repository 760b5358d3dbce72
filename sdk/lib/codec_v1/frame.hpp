// The frames of rolling-upgrade mode (docs/protocol.md, "Rolling-upgrade mode"):
//
//   +-----------+------------------+------------------------------+
//   | flags u8  | frame length u16 | body: frame length - 3 bytes |
//   +-----------+------------------+------------------------------+
//
// flags bit 0 is the continuation bit (the next frame continues the same message header, or the same
// payload); bits 1..7 are reserved and zero. The length counts the whole frame, so a frame is never larger
// than 65535 bytes (within 64 KiB) and never smaller than 4: every frame carries at least one byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ferry::codec_v1 {

inline constexpr size_t kFrameHeaderSize = 3;
inline constexpr size_t kMaxFrameSize = 65535;
inline constexpr size_t kMaxFrameBody = kMaxFrameSize - kFrameHeaderSize;
inline constexpr uint8_t kContinuationFlag = 0x01;

struct FrameHeader {
  bool continuation = false;
  size_t body = 0;  // bytes of body after the 3-byte header
};

// Reads the 3 bytes at the front of input (which holds at least 3). Throws ferry::sdk::Error(FERRY_ERR_PROTOCOL)
// for reserved flag bits or a length below 4.
FrameHeader read_frame_header(std::span<const uint8_t> input);

// Writes a frame header for a body of 1..kMaxFrameBody bytes at out.
void write_frame_header(bool continuation, size_t body, uint8_t* out);

}  // namespace ferry::codec_v1
