// Builders and typed readers for the messages of protocol major 1 (sdk/include/ferry/protocol_v1.h is the
// catalogue; a unit test checks every builder against it). Readers apply the defaults for fields an older
// peer did not send; the caller has already switched on view.type().
#pragma once

#include <ferry/protocol_v1.h>

#include <cstdint>
#include <span>
#include <string_view>

#include "protocol/message.hpp"

namespace ferry::protocol::v1 {

struct Ack {
  uint64_t received = 0;  // messages of this connection the sender has received
};

struct Ping {  // PING and PONG: a PONG echoes its PING
  uint64_t sequence = 0;
  uint64_t sent_ns = 0;
  std::span<const uint8_t> padding;
};

struct NodeStopping {
  std::string_view reason;
  bool restarting = false;  // since 1.1: the sender comes back; false from a 1.0 peer
};

struct Data {
  uint64_t channel = 0;
  std::span<const uint8_t> body;
  uint64_t crc32c = 0;  // since 1.1: CRC32C of body when data_crc32c is agreed; 0 = not computed
};

Message ack(uint64_t received);
Message ping(uint64_t sequence, uint64_t sent_ns, std::span<const uint8_t> padding);
Message pong(uint64_t sequence, uint64_t sent_ns, std::span<const uint8_t> padding);
Message node_stopping(std::string_view reason, bool restarting = false);
Message data(uint64_t channel, std::span<const uint8_t> body, uint64_t crc32c = 0);
Message idle_close();

Ack read_ack(const MessageView& view);
Ping read_ping(const MessageView& view);  // PING or PONG
NodeStopping read_node_stopping(const MessageView& view);
Data read_data(const MessageView& view);

}  // namespace ferry::protocol::v1
