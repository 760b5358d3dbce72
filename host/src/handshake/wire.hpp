// The node handshake's wire constants: the frame header, the frame types and the record tags. Every
// number here is part of the protocol (docs/protocol.md) and never changes meaning. The 12-byte
// frame header is frozen forever (DESIGN-NOTES §7), so that any two ferry releases can read each other's
// frames even when they share nothing else.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace ferry::handshake {

// Frame header: magic, handshake version u16, frame type u16, body length u32, all big-endian.
inline constexpr std::array<uint8_t, 4> magic{'F', 'E', 'R', 'Y'};
inline constexpr uint16_t handshake_version = 1;
inline constexpr size_t header_size = 12;
inline constexpr uint32_t max_body_size = 65536;
// Record header inside a body: tag u16, value length u32.
inline constexpr size_t record_header_size = 6;

namespace frame_type {
inline constexpr uint16_t identify = 0x0001;
inline constexpr uint16_t request = 0x0002;
inline constexpr uint16_t accept = 0x0003;
inline constexpr uint16_t refuse = 0x0004;
// A reader that does not know a frame type with this bit skips the frame; without it, an unknown type is
// a protocol error. This lets a later release send advisory frames to peers it has not yet identified.
inline constexpr uint16_t ignorable_bit = 0x8000;
}  // namespace frame_type

// "IDENTIFY", ..., or "frame type 0x0007" for one this release does not know.
std::string frame_type_name(uint16_t type);

// Record tags: one registry for every frame and every nested record, so a tag means the same thing
// wherever it appears. Tag 0 is invalid. Unknown tags are skipped by readers.
namespace tag {
inline constexpr uint16_t node_id = 0x0001;
inline constexpr uint16_t node_name = 0x0002;
inline constexpr uint16_t cluster = 0x0003;
inline constexpr uint16_t incarnation = 0x0004;
inline constexpr uint16_t nonce = 0x0005;
inline constexpr uint16_t setting = 0x0006;
inline constexpr uint16_t expected_incarnation = 0x0007;
inline constexpr uint16_t connection_index = 0x0008;
inline constexpr uint16_t received = 0x0009;
inline constexpr uint16_t codec_offer = 0x000A;
inline constexpr uint16_t required_feature = 0x000B;
inline constexpr uint16_t disabled_feature = 0x000C;
inline constexpr uint16_t responder_codec = 0x000D;
inline constexpr uint16_t initiator_codec = 0x000E;
inline constexpr uint16_t mode = 0x000F;
inline constexpr uint16_t agreed_features = 0x0010;
inline constexpr uint16_t refuse_code = 0x0011;
inline constexpr uint16_t refuse_reason = 0x0012;
inline constexpr uint16_t listen_address = 0x0013;
// Inside codec_offer, responder_codec and initiator_codec records.
inline constexpr uint16_t major = 0x0020;
inline constexpr uint16_t minor = 0x0021;
inline constexpr uint16_t features = 0x0022;
// Inside setting records.
inline constexpr uint16_t setting_name = 0x0028;
inline constexpr uint16_t setting_value = 0x0029;
// 0x0100..0x01FF: cluster-secret authentication (docs/protocol.md §1.11); releases before it skip them.
inline constexpr uint16_t secret_asked = 0x0100;
inline constexpr uint16_t secret_proof = 0x0101;
}  // namespace tag

// "tag 0x0008 (connection_index)", or "tag 0x1234" for one this release does not know.
std::string describe_tag(uint16_t tag);

}  // namespace ferry::handshake
