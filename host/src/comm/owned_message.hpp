// A message that owns its bytes, for the delivery queue: it may wait, be written, and be written again
// after a reconnect, long after the buffers it was built from are gone. One allocation for the fields and
// one for all bytes fields together.
#pragma once

#include <ferry/abi.h>

#include <cstdint>
#include <vector>

#include "protocol/message.hpp"

namespace ferry::comm {

class OwnedMessage {
 public:
  static OwnedMessage copy_of(const protocol::Message& message);

  OwnedMessage(OwnedMessage&&) noexcept = default;
  OwnedMessage& operator=(OwnedMessage&&) noexcept = default;
  OwnedMessage(const OwnedMessage&) = delete;
  OwnedMessage& operator=(const OwnedMessage&) = delete;

  uint16_t type() const { return type_; }
  // Points into this object; moving it keeps the pointers valid (vector storage moves with it).
  ferry_type_message view() const {
    return ferry_type_message{type_, static_cast<uint16_t>(fields_.size()), 0, fields_.data(), payload_length_};
  }

 private:
  OwnedMessage() = default;

  uint16_t type_ = 0;
  uint64_t payload_length_ = 0;
  std::vector<ferry_type_field> fields_;
  std::vector<uint8_t> storage_;
};

}  // namespace ferry::comm
