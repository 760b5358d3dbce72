#include "protocol/messages_v1.hpp"

namespace ferry::protocol::v1 {

// Field positions within each message, in catalogue order.
namespace {
enum AckField : size_t { kAckReceived };
enum PingField : size_t { kPingSequence, kPingSentNs, kPingPadding };
enum NodeStoppingField : size_t { kStoppingReason, kStoppingRestarting };
enum DataField : size_t { kDataChannel, kDataBody, kDataCrc32c };
}  // namespace

Message ack(uint64_t received) {
  Message message(FERRY_MSG_ACK);
  message.add_unsigned(received);
  return message;
}

Message ping(uint64_t sequence, uint64_t sent_ns, std::span<const uint8_t> padding) {
  Message message(FERRY_MSG_PING);
  message.add_unsigned(sequence).add_unsigned(sent_ns).add_bytes(padding);
  return message;
}

Message pong(uint64_t sequence, uint64_t sent_ns, std::span<const uint8_t> padding) {
  Message message(FERRY_MSG_PONG);
  message.add_unsigned(sequence).add_unsigned(sent_ns).add_bytes(padding);
  return message;
}

Message node_stopping(std::string_view reason, bool restarting) {
  Message message(FERRY_MSG_NODE_STOPPING);
  message.add_string(reason).add_boolean(restarting);
  return message;
}

Message data(uint64_t channel, std::span<const uint8_t> body, uint64_t crc32c) {
  Message message(FERRY_MSG_DATA);
  message.add_unsigned(channel).add_bytes(body).add_unsigned(crc32c);
  return message;
}

Message idle_close() { return Message(FERRY_MSG_IDLE_CLOSE); }

Ack read_ack(const MessageView& view) { return Ack{view.unsigned_at(kAckReceived)}; }

Ping read_ping(const MessageView& view) {
  return Ping{view.unsigned_at(kPingSequence), view.unsigned_at(kPingSentNs), view.bytes_at(kPingPadding)};
}

NodeStopping read_node_stopping(const MessageView& view) {
  return NodeStopping{view.string_at(kStoppingReason), view.boolean_at(kStoppingRestarting)};
}

Data read_data(const MessageView& view) {
  return Data{view.unsigned_at(kDataChannel), view.bytes_at(kDataBody), view.unsigned_at(kDataCrc32c)};
}

}  // namespace ferry::protocol::v1
