// Reads one message header in the format of major 2 from the front of a byte buffer, without keeping state
// between calls: the decoder of major 1 drives it (codec_v1::Decoder with this reader), since the payload
// rules are the same.
#pragma once

#include "codec_v1/header_reader.hpp"

namespace ferry::codec_v2 {

// Answers need_more until the whole header is in input (its length is known from its first bytes and
// checked against max_message_size before the rest arrives). Fields beyond this minor's count are skipped;
// fields the writer did not send come back FERRY_FIELD_ABSENT. Throws ferry::sdk::Error(FERRY_ERR_PROTOCOL)
// naming what is wrong.
codec_v1::HeaderRead read_header(const codec_v1::Schema& schema, uint64_t max_message_size,
                                 std::span<const uint8_t> input, std::span<ferry_type_field> fields);

}  // namespace ferry::codec_v2
