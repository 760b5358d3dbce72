// A message that owns its bytes, for the delivery queue: it may wait, be written, and be written again
// after a reconnect, long after the buffers it was built from are gone. One allocation holds the fields
// and all their bytes; a payload (a file chunk, in memory or a file's range) is kept apart, as handed over,
// so that it is never copied into the message.
#pragma once

#include <ferry/abi.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "comm/payload.hpp"
#include "protocol/message.hpp"

namespace ferry::comm {

// Gives an OwnedMessage's block back where it came from: the thread's pool when it is of the pooled size,
// else the heap.
struct MessageBlockRelease {
  bool pooled = false;
  void operator()(ferry_type_field* block) const noexcept;
};

class OwnedMessage {
 public:
  static OwnedMessage copy_of(const ferry_type_message& message);
  static OwnedMessage copy_of(const protocol::Message& message) { return copy_of(message.view()); }
  // The payload bytes written after the message; their size is the message's payload_length.
  void attach_payload(Payload payload) { payload_ = std::move(payload); }
  const Payload& payload() const { return payload_; }
  // The payload has been written once (Payload::drop_lent).
  void payload_written() { payload_.drop_lent(); }

  OwnedMessage(OwnedMessage&&) noexcept = default;
  OwnedMessage& operator=(OwnedMessage&&) noexcept = default;
  OwnedMessage(const OwnedMessage&) = delete;
  OwnedMessage& operator=(const OwnedMessage&) = delete;

  uint16_t type() const { return type_; }
  // Points into this object's block; moving the object keeps the pointers valid (the block stays put).
  ferry_type_message view() const { return ferry_type_message{type_, field_count_, 0, block_.get(), payload_length_}; }

 private:
  OwnedMessage() = default;

  uint16_t type_ = 0;
  uint16_t field_count_ = 0;
  uint64_t payload_length_ = 0;
  // The fields, then the bytes they point to, in units of a field so that the fields are aligned.
  std::unique_ptr<ferry_type_field[], MessageBlockRelease> block_;
  Payload payload_;
};

}  // namespace ferry::comm
