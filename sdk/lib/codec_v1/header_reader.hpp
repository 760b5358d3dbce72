// Reads one message header (type, fields, payload length) from the front of a byte buffer, without
// keeping state between calls: the decoder calls it again with more bytes when the header is incomplete.
#pragma once

#include <ferry/abi.h>

#include <span>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

struct HeaderRead {
  enum class Status {
    complete,     // message and size are set
    need_more,    // the input ends inside the header
    need_fields,  // fields has room for fewer than fields_needed fields
  };
  Status status = Status::need_more;
  size_t size = 0;
  ferry_type_message message{};
  size_t fields_needed = 0;
};

// Throws ferry::sdk::Error(FERRY_ERR_PROTOCOL) naming what is wrong: an unknown type, a malformed varint,
// boolean or UTF-8 string, or a header that would exceed max_message_size. The limit is checked as soon as
// a declared length is read, so an incomplete header never grows past it. Fields of the catalogue that
// this minor lacks come back as FERRY_FIELD_ABSENT; bytes fields point into input.
HeaderRead read_header(const Schema& schema, uint64_t max_message_size, std::span<const uint8_t> input,
                       std::span<ferry_type_field> fields);

}  // namespace ferry::codec_v1
