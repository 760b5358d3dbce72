#include "stream/xxh3_128.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>

#include "stream/xxh3_avx2.hpp"

namespace ferry::stream {

namespace {

const bool kHasAvx2 = __builtin_cpu_supports("avx2");

void update_state(XXH3_state_t& state, const void* data, size_t size) {
  if (kHasAvx2)
    detail::xxh3_128_update_avx2(&state, data, size);
  else
    XXH3_128bits_update(&state, data, size);
}

}  // namespace

struct Xxh3_128::State {
  XXH3_state_t state;
};

Xxh3_128::Xxh3_128() : state_(std::make_unique<State>()) { XXH3_128bits_reset(&state_->state); }

Xxh3_128::~Xxh3_128() = default;
Xxh3_128::Xxh3_128(Xxh3_128&&) noexcept = default;
Xxh3_128& Xxh3_128::operator=(Xxh3_128&&) noexcept = default;

void Xxh3_128::update(std::span<const uint8_t> data) {
  if (!data.empty()) update_state(state_->state, data.data(), data.size());
}

void Xxh3_128::update_zeros(uint64_t count) {
  static const std::array<uint8_t, 64 * 1024> zeros{};
  while (count > 0) {
    const size_t piece = static_cast<size_t>(std::min<uint64_t>(count, zeros.size()));
    update_state(state_->state, zeros.data(), piece);
    count -= piece;
  }
}

Digest Xxh3_128::finish() {
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits_digest(&state_->state));
  XXH3_128bits_reset(&state_->state);
  return Digest(std::begin(canonical.digest), std::end(canonical.digest));
}

}  // namespace ferry::stream
