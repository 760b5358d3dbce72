// Shared helpers of the codec tests: hex parsing, owned copies of decoded messages, the shipped plugin
// loaded through the host wrapper, and a decode loop that feeds bytes the way a connection does.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/codec_instance.hpp"
#include "protocol/message.hpp"

namespace ferry::codec_test {

using Bytes = std::vector<uint8_t>;

// Hex digits with any whitespace; '#' comments to the end of the line.
Bytes from_hex(std::string_view text);
Bytes read_hex_file(const std::string& path);
Bytes bytes_of(std::string_view text);

// A decoded field or message copied out of the codec's buffers, so it can outlive the next decode.
struct OwnedField {
  uint32_t kind = FERRY_FIELD_ABSENT;
  uint64_t integer = 0;
  Bytes bytes;
  bool operator==(const OwnedField&) const = default;
};

struct OwnedMessage {
  uint16_t type = 0;
  std::vector<OwnedField> fields;
  uint64_t payload_length = 0;
  bool operator==(const OwnedMessage&) const = default;
};

OwnedMessage own(const ferry_type_message& message);
// What a codec of minor decodes from message: the fields that minor lacks come back ABSENT.
OwnedMessage own_in(const protocol::Message& message, uint16_t minor);

// A codec plugin from the build's plugin directory, and streams of it.
std::shared_ptr<plugin::CodecInstance> load_codec(const std::string& name);
std::shared_ptr<plugin::CodecInstance> load_codec_1_0();
std::unique_ptr<plugin::CodecStream> open_mode(plugin::CodecInstance& codec, plugin::CodecMode mode,
                                               uint64_t max_message_size = 1 << 20);
std::unique_ptr<plugin::CodecStream> open_stable(plugin::CodecInstance& codec, uint64_t max_message_size = 1 << 20);

// One shipped codec in one mode, with the folder of its golden vectors.
struct Variant {
  std::string codec;  // "codec-1.0"
  uint16_t fields_of;  // the minor of major 1 whose fields it carries: 2.0 keeps every field of 1.1
  plugin::CodecMode mode;
  std::string golden;  // "codec-1.0-rolling"
};
const std::vector<Variant>& variants();

// Everything a stream decoded from input fed in pieces of chunk bytes (0: all at once), dropping consumed
// bytes and keeping the rest as the host does. Stops at the first error.
struct DecodeRun {
  std::vector<OwnedMessage> messages;
  Bytes payload;  // every payload piece, joined
  size_t payload_pieces = 0;
  size_t left_over = 0;  // bytes of an incomplete header at the end
  std::optional<plugin::PluginError> error;
};

DecodeRun decode_all(plugin::CodecStream& stream, const Bytes& input, size_t chunk = 0);

Bytes encode(plugin::CodecStream& stream, const protocol::Message& message);
// The header of message, then payload as the codec frames it (raw in stable mode and major 2, in payload
// frames in rolling-upgrade mode of major 1).
Bytes encode_with_payload(plugin::CodecStream& stream, const ferry_type_message& message, const Bytes& payload);

// One message of every catalogue type with the field values of its golden vectors
// (tests/golden/codec-1.*/<name>.hex), every field of the newest minor filled, and its payload.
struct KnownMessage {
  std::string name;
  protocol::Message message;
  Bytes payload;
  uint16_t since_minor = 0;  // the first minor of major 1 with this type (2.0 has every type of 1.1)
};
const std::vector<KnownMessage>& known_messages();
// The known messages whose type exists in minor of major 1 (1 for 2.0, which has every type of 1.1).
std::vector<std::reference_wrapper<const KnownMessage>> known_messages_in(uint16_t minor);
// A known message as a writer sends it: its header, then its payload.
Bytes encode_known(plugin::CodecStream& stream, const KnownMessage& known);

}  // namespace ferry::codec_test
