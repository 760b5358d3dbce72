// Where producers' sends wait for the communicator's strand. One post per batch instead of one per send,
// and no allocation per send on the producer's thread: a message's fields and bytes are copied into
// buffers the inbox keeps and reuses, and the strand makes the owned copy. Memory a producer allocates
// and the strand frees makes the two threads fight over the allocator's locks; this keeps each side to
// its own memory.
//
// Thread safety: add() from any thread; take() and the batch it returns on the strand only, one batch at
// a time. Asio stays out: the caller posts the drain when add() says so.
#pragma once

#include <ferry/abi.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "protocol/message.hpp"

namespace ferry::comm {

class SendInbox {
 public:
  struct Send {
    uint32_t peer;  // index into Batch::peers
    SendOptions options;
    Completion completion;
    uint16_t type;
    uint16_t field_count;
    uint64_t payload_length;
    size_t first_field;  // index into Batch::fields
    Payload payload;  // moved in, never copied: a chunk's bytes or file range
  };

  // The sends queued since the last take(), in the order they were added. The bytes of a field live in
  // `bytes` from offsets[i] on (kNotCopied: the field had none); message() points the field at them, as
  // `bytes` may move while it grows.
  struct Batch {
    static constexpr size_t kNotCopied = SIZE_MAX;

    std::vector<std::string> peers;
    std::vector<Send> sends;
    std::vector<ferry_type_field> fields;
    std::vector<size_t> offsets;
    std::vector<uint8_t> bytes;

    // The message of send, pointing into this batch and into fields_out (room for its fields).
    ferry_type_message message(const Send& send,
                               std::array<ferry_type_field, protocol::Message::kMaxFields>& fields_out) const;
    void clear();
  };

  // Queues a send; true when the inbox was empty, so the caller must post one drain (which calls take()).
  bool add(const std::string& peer_id, const protocol::Message& message, Completion completion,
           const SendOptions& options, Payload payload = {});
  // Everything queued so far. The batch stays valid, and this side's, until the next take(); its
  // buffers are then reused for the sends that follow.
  Batch& take();

 private:
  std::mutex mutex_;
  Batch filling_;   // producers add here, under mutex_
  Batch draining_;  // the strand reads the last batch taken
};

}  // namespace ferry::comm
