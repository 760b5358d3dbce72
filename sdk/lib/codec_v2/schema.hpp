// The catalogue of protocol_v2.h as one minor of major 2 sees it, in the Schema shape the format of major 1
// already uses, so both majors share the field readers and writers.
#pragma once

#include "codec_v1/schema.hpp"

namespace ferry::codec_v2 {

codec_v1::Schema protocol_v2(uint16_t minor);

}  // namespace ferry::codec_v2
