// How both targets of major 1 (stable and rolling mode) decode every input: as the real catalogue at minors
// 0 and 1, and as the test catalogue with every field kind at minor 0, under a 48-byte message size limit,
// and at minor 1.
#pragma once

#include <cstdint>
#include <span>

#include "all_kinds_catalogue.hpp"
#include "chunked_decode.hpp"
#include "codec_v1/schema.hpp"

namespace ferry::codec_fuzz {

template <class Run>
void fuzz_major1(std::span<const uint8_t> input) {
  fuzz<Run>(codec_v1::protocol_v1(0), 1 << 20, input);
  fuzz<Run>(codec_v1::protocol_v1(1), 1 << 20, input);
  fuzz<Run>(codec_v1::Schema{codec_test::all_kinds_catalogue, 1, 0}, 48, input);
  fuzz<Run>(codec_v1::Schema{codec_test::all_kinds_catalogue, 1, 1}, 1 << 20, input);
}

}  // namespace ferry::codec_fuzz
