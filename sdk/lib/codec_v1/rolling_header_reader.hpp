// Reads one complete rolling-mode message header (type, field count, payload length, fields, padding),
// already taken out of its frames. Pure: the rolling decoder owns the frames and the state.
#pragma once

#include <ferry/abi.h>

#include <span>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

// The message; its fields live in the storage given, with FERRY_FIELD_ABSENT for every catalogue field the
// peer did not send (its field count is lower: an older minor) or this minor lacks. Fields the peer sent
// beyond this minor's count (a newer minor) are skipped unread; after fewer, the rest of the header is
// padding and must be zero bytes. The storage holds at least the type's catalogue field count.
//
// Throws ferry::sdk::Error(FERRY_ERR_PROTOCOL) naming what is wrong: a header too short for its type and
// count, an unknown type, a malformed field, a field cut off by the end of the header, nonzero padding.
ferry_type_message read_rolling_header(const Schema& schema, uint64_t max_message_size,
                                       std::span<const uint8_t> header, std::span<ferry_type_field> fields);

}  // namespace ferry::codec_v1
