#include "comm/send_inbox.hpp"

#include <utility>
#include <vector>

namespace ferry::comm {

namespace {

// A burst's buffers are kept for the next burst, up to these sizes: an idle inbox holds little memory.
constexpr size_t kKeptSends = 16u << 10;
constexpr size_t kKeptBytes = 4u << 20;

template <typename T>
void clear_keeping(std::vector<T>& items, size_t kept) {
  items.clear();
  if (items.capacity() > kept) std::vector<T>().swap(items);
}

}  // namespace

ferry_type_message SendInbox::Batch::message(
    const Send& send, std::array<ferry_type_field, protocol::Message::kMaxFields>& fields_out) const {
  for (size_t i = 0; i < send.field_count; ++i) {
    fields_out[i] = fields[send.first_field + i];
    if (const size_t offset = offsets[send.first_field + i]; offset != kNotCopied)
      fields_out[i].bytes = bytes.data() + offset;
  }
  return ferry_type_message{send.type, send.field_count, 0, fields_out.data(), send.payload_length};
}

void SendInbox::Batch::clear() {
  peers.clear();
  clear_keeping(sends, kKeptSends);
  clear_keeping(fields, kKeptSends * 4);
  clear_keeping(offsets, kKeptSends * 4);
  clear_keeping(bytes, kKeptBytes);
}

bool SendInbox::add(const std::string& peer_id, const protocol::Message& message, Completion completion,
                    const SendOptions& options, Payload payload) {
  std::lock_guard lock(mutex_);
  Batch& batch = filling_;
  const bool was_empty = batch.sends.empty();
  // A producer usually sends to one peer many times in a row: its id is kept once per run of sends.
  if (batch.peers.empty() || batch.peers.back() != peer_id) batch.peers.push_back(peer_id);
  const size_t first_field = batch.fields.size();
  for (size_t i = 0; i < message.field_count(); ++i) {
    const ferry_type_field& field = message.field(i);
    batch.fields.push_back(field);
    if (field.bytes != nullptr && field.length > 0) {
      batch.offsets.push_back(batch.bytes.size());
      batch.bytes.insert(batch.bytes.end(), field.bytes, field.bytes + field.length);
    } else {
      batch.offsets.push_back(Batch::kNotCopied);
    }
  }
  batch.sends.push_back(Send{static_cast<uint32_t>(batch.peers.size() - 1), options, std::move(completion),
                             message.type(), static_cast<uint16_t>(message.field_count()), message.payload_length(),
                             first_field, std::move(payload)});
  return was_empty;
}

SendInbox::Batch& SendInbox::take() {
  draining_.clear();
  std::lock_guard lock(mutex_);
  std::swap(filling_, draining_);
  return draining_;
}

}  // namespace ferry::comm
