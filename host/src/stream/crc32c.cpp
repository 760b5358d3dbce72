#include "stream/crc32c.hpp"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

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

// Carry-less multiplication folds 64 bytes per instruction pair, where the crc32 instruction takes 8 bytes
// a cycle. A 16-byte block B (its first 8 bytes LO, the next 8 HI) moved D bytes further along the message
// is LO * x^(8D + 64) + HI * x^(8D), and anything congruent modulo P may stand in its place: the two
// products of 64-bit values by 32-bit remainders fit in 96 bits. The instruction's product of two
// reflected values comes out one place lower, hence the remainders of x^(e - 1).
constexpr uint64_t fold_constant(uint64_t exponent) { return uint64_t{x_to_the(exponent - 1)} << 32; }

struct FoldBy {
  uint64_t lo, hi;  // multiply the block's first and second 8 bytes
  constexpr explicit FoldBy(uint64_t bytes) : lo(fold_constant(8 * bytes + 64)), hi(fold_constant(8 * bytes)) {}
};

constexpr FoldBy kFold256{256}, kFold64{64}, kFold48{48}, kFold32{32}, kFold16{16};
constexpr size_t kClmulMinimum = 256;

__attribute__((target("avx512f,vpclmulqdq"))) inline __m512i fold512(__m512i blocks, __m512i by, __m512i next) {
  return _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(blocks, by, 0x00),
                                   _mm512_clmulepi64_epi128(blocks, by, 0x11), next, 0x96);
}

__attribute__((target("avx512f,vpclmulqdq"))) inline __m512i broadcast(FoldBy by) {
  const auto lo = static_cast<long long>(by.lo), hi = static_cast<long long>(by.hi);
  return _mm512_set_epi64(hi, lo, hi, lo, hi, lo, hi, lo);
}

__attribute__((target("pclmul,sse4.1"))) inline __m128i fold128(__m128i block, FoldBy by) {
  const __m128i constants = _mm_set_epi64x(static_cast<long long>(by.hi), static_cast<long long>(by.lo));
  return _mm_xor_si128(_mm_clmulepi64_si128(block, constants, 0x00), _mm_clmulepi64_si128(block, constants, 0x11));
}

// The 64 bytes at data + at, also stored to out + at with kCopy (without it, out is null and untouched).
template <bool kCopy>
__attribute__((target("avx512f"))) inline __m512i load64(const uint8_t* data, uint8_t* out, size_t at) {
  const __m512i bytes = _mm512_loadu_si512(data + at);
  if constexpr (kCopy) _mm512_storeu_si512(out + at, bytes);
  return bytes;
}

// At least kClmulMinimum bytes. Four 64-byte accumulators fold across 256 bytes; then they fold into one,
// its four 16-byte blocks into one, and that block and the last bytes go through the crc32 instruction.
template <bool kCopy>
__attribute__((target("avx512f,vpclmulqdq,pclmul,sse4.2"))) uint32_t extend_with_clmul(uint32_t state,
                                                                                       const uint8_t* data,
                                                                                       size_t size, uint8_t* out) {
  // The register's state enters as if it were xored into the message's first four bytes.
  __m512i a0 = _mm512_xor_si512(load64<kCopy>(data, out, 0),
                                _mm512_zextsi128_si512(_mm_cvtsi32_si128(static_cast<int>(state))));
  __m512i a1 = load64<kCopy>(data, out, 64);
  __m512i a2 = load64<kCopy>(data, out, 128);
  __m512i a3 = load64<kCopy>(data, out, 192);
  size_t at = 256;
  const __m512i by256 = broadcast(kFold256);
  for (; size - at >= 256; at += 256) {
    a0 = fold512(a0, by256, load64<kCopy>(data, out, at));
    a1 = fold512(a1, by256, load64<kCopy>(data, out, at + 64));
    a2 = fold512(a2, by256, load64<kCopy>(data, out, at + 128));
    a3 = fold512(a3, by256, load64<kCopy>(data, out, at + 192));
  }
  const __m512i by64 = broadcast(kFold64);
  a1 = fold512(a0, by64, a1);
  a2 = fold512(a1, by64, a2);
  a3 = fold512(a2, by64, a3);
  for (; size - at >= 64; at += 64) a3 = fold512(a3, by64, load64<kCopy>(data, out, at));
  alignas(64) __m128i lanes[4];
  _mm512_store_si512(lanes, a3);
  const __m128i block = _mm_xor_si128(_mm_xor_si128(fold128(lanes[0], kFold48), fold128(lanes[1], kFold32)),
                                      _mm_xor_si128(fold128(lanes[2], kFold16), lanes[3]));
  uint64_t wide = __builtin_ia32_crc32di(0, static_cast<uint64_t>(_mm_cvtsi128_si64(block)));
  wide = __builtin_ia32_crc32di(wide, static_cast<uint64_t>(_mm_extract_epi64(block, 1)));
  return extend_with_sse42<kCopy>(static_cast<uint32_t>(wide), data + at, size - at, kCopy ? out + at : nullptr);
}

bool has_sse42() {
  static const bool has = __builtin_cpu_supports("sse4.2");
  return has;
}

bool has_clmul() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("vpclmulqdq") &&
                          __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.2");
  return has;
}
#endif

}  // namespace

uint32_t crc32c_extend(uint32_t crc, std::span<const uint8_t> data) {
  const uint32_t state = ~crc;
#if defined(__x86_64__)
  if (data.size() >= kClmulMinimum && has_clmul())
    return ~extend_with_clmul<false>(state, data.data(), data.size(), nullptr);
  if (has_sse42()) return ~extend_with_sse42<false>(state, data.data(), data.size(), nullptr);
#endif
  return ~extend_with_table(state, data.data(), data.size());
}

uint32_t crc32c_extend_copy(uint32_t crc, std::span<const uint8_t> data, uint8_t* out) {
  const uint32_t state = ~crc;
#if defined(__x86_64__)
  if (data.size() >= kClmulMinimum && has_clmul()) return ~extend_with_clmul<true>(state, data.data(), data.size(), out);
  if (has_sse42()) return ~extend_with_sse42<true>(state, data.data(), data.size(), out);
#endif
  if (!data.empty()) std::memcpy(out, data.data(), data.size());
  return ~extend_with_table(state, data.data(), data.size());
}

}  // namespace ferry::stream
