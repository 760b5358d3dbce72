#include "stream/crc32c.hpp"

#include <array>
#include <cstring>

namespace ferry::stream {

namespace {

constexpr uint32_t kPolynomial = 0x82f63b78;

constexpr std::array<uint32_t, 256> make_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t value = i;
    for (int bit = 0; bit < 8; ++bit) value = (value >> 1) ^ ((value & 1) ? kPolynomial : 0);
    table[i] = value;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kTable = make_table();

uint32_t extend_with_table(uint32_t state, const uint8_t* data, size_t size) {
  for (size_t i = 0; i < size; ++i) state = (state >> 8) ^ kTable[(state ^ data[i]) & 0xff];
  return state;
}

#if defined(__x86_64__)
// Polynomials modulo P in the reflected order the register uses: bit 31 is x^0, bit 0 is x^31.
constexpr uint32_t multiply_mod(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  for (uint32_t bit = 1u << 31; bit != 0; bit >>= 1) {
    if (a & bit) product ^= b;
    b = (b & 1) ? (b >> 1) ^ kPolynomial : b >> 1;  // b times x
  }
  return product;
}

// x^n modulo P.
constexpr uint32_t x_to_the(uint64_t n) {
  uint32_t result = 1u << 31;  // x^0
  uint32_t power = 1u << 30;   // x^1, squared at each step
  for (; n != 0; n >>= 1) {
    if (n & 1) result = multiply_mod(result, power);
    power = multiply_mod(power, power);
  }
  return result;
}

// The instruction has a latency of three cycles and a throughput of one, so three independent lanes of
// kLane bytes each run about three times as fast as one. The register is linear: the value over A then B
// is the value over A multiplied by x^(8 |B|), xor the value over B from zero.
constexpr size_t kLane = 4096;
constexpr uint32_t kShiftOneLane = x_to_the(8 * kLane);

// With kCopy, each word is also stored to `out`: the loads are the CRC's, and the stores fit beside the
// instruction's throughput, so the copy costs almost nothing.
template <bool kCopy>
__attribute__((target("sse4.2"))) uint32_t extend_with_sse42(uint32_t state, const uint8_t* data, size_t size,
                                                              uint8_t* out) {
  uint64_t wide = state;
  for (; size >= 3 * kLane; size -= 3 * kLane, data += 3 * kLane) {
    uint64_t first = wide, second = 0, third = 0;
    for (size_t at = 0; at < kLane; at += 8) {
      uint64_t words[3];
      std::memcpy(&words[0], data + at, 8);
      std::memcpy(&words[1], data + kLane + at, 8);
      std::memcpy(&words[2], data + 2 * kLane + at, 8);
      if constexpr (kCopy) {
        std::memcpy(out + at, &words[0], 8);
        std::memcpy(out + kLane + at, &words[1], 8);
        std::memcpy(out + 2 * kLane + at, &words[2], 8);
      }
      first = __builtin_ia32_crc32di(first, words[0]);
      second = __builtin_ia32_crc32di(second, words[1]);
      third = __builtin_ia32_crc32di(third, words[2]);
    }
    if constexpr (kCopy) out += 3 * kLane;
    const uint32_t two = multiply_mod(static_cast<uint32_t>(first), kShiftOneLane) ^ static_cast<uint32_t>(second);
    wide = multiply_mod(two, kShiftOneLane) ^ static_cast<uint32_t>(third);
  }
  for (; size >= 8; size -= 8, data += 8) {
    uint64_t word;
    std::memcpy(&word, data, 8);
    if constexpr (kCopy) {
      std::memcpy(out, &word, 8);
      out += 8;
    }
    wide = __builtin_ia32_crc32di(wide, word);
  }
  uint32_t narrow = static_cast<uint32_t>(wide);
  for (; size > 0; --size, ++data) {
    if constexpr (kCopy) *out++ = *data;
    narrow = __builtin_ia32_crc32qi(narrow, *data);
  }
  return narrow;
}

bool has_sse42() {
  static const bool has = __builtin_cpu_supports("sse4.2");
  return has;
}
#endif

}  // namespace

uint32_t crc32c_extend(uint32_t crc, std::span<const uint8_t> data) {
  const uint32_t state = ~crc;
#if defined(__x86_64__)
  if (has_sse42()) return ~extend_with_sse42<false>(state, data.data(), data.size(), nullptr);
#endif
  return ~extend_with_table(state, data.data(), data.size());
}

uint32_t crc32c_extend_copy(uint32_t crc, std::span<const uint8_t> data, uint8_t* out) {
  const uint32_t state = ~crc;
#if defined(__x86_64__)
  if (has_sse42()) return ~extend_with_sse42<true>(state, data.data(), data.size(), out);
#endif
  if (!data.empty()) std::memcpy(out, data.data(), data.size());
  return ~extend_with_table(state, data.data(), data.size());
}

}  // namespace ferry::stream
