// LEB128 varints and zigzag, as codec 1.x writes every integer and length (docs/protocol.md).
//
// Unsigned: 7 bits per byte, least significant group first, high bit set on every byte but the last.
// At most 10 bytes; the 10th may only hold the value's top bit (0x01). Only the shortest form is valid,
// so every value has exactly one encoding and a decoded message re-encodes to the same bytes.
// Signed: zigzag (0, -1, 1, -2, ... -> 0, 1, 2, 3, ...) then unsigned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ferry::codec_v1 {

inline constexpr size_t kMaxVarintSize = 10;

constexpr uint64_t zigzag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

constexpr int64_t unzigzag(uint64_t value) { return static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1)); }

constexpr size_t varint_size(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// Writes value at output and returns the bytes written; output has room for varint_size(value).
inline size_t write_varint(uint64_t value, uint8_t* output) {
  size_t i = 0;
  while (value >= 0x80) {
    output[i++] = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  output[i++] = static_cast<uint8_t>(value);
  return i;
}

enum class VarintStatus {
  ok,
  need_more,  // the input ends inside the varint
  too_long,   // the 10th byte still has its continuation bit
  overflow,   // the 10th byte holds more than the value's 64th bit
  overlong,   // a shorter encoding of the same value exists (a last byte of 0 after the first)
};

// Reads a varint from input at position; on ok advances position past it.
inline VarintStatus read_varint(std::span<const uint8_t> input, size_t& position, uint64_t& value) {
  uint64_t result = 0;
  for (size_t i = 0; i < kMaxVarintSize; ++i) {
    if (position + i >= input.size()) return VarintStatus::need_more;
    const uint8_t byte = input[position + i];
    if (i == kMaxVarintSize - 1) {
      if (byte & 0x80) return VarintStatus::too_long;
      if (byte > 1) return VarintStatus::overflow;
    }
    result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      if (byte == 0 && i > 0) return VarintStatus::overlong;
      value = result;
      position += i + 1;
      return VarintStatus::ok;
    }
  }
  return VarintStatus::too_long;  // unreachable: the 10th byte returned above
}

}  // namespace ferry::codec_v1
