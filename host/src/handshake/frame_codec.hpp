// Encoding and decoding of each frame type. encode() returns the complete frame (header and body);
// decode_*() takes a frame's body, as FrameReader yields it, and checks every record the frame defines
// (presence, duplicates, lengths, ranges, UTF-8), skipping tags it does not know. Errors read
// "malformed REQUEST: missing tag 0x0008 (connection_index)".
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "handshake/frames.hpp"
#include "handshake/result.hpp"

namespace ferry::handshake {

std::vector<uint8_t> encode(const Identify& identify);
std::vector<uint8_t> encode(const Request& request);
std::vector<uint8_t> encode(const Accept& accept);
std::vector<uint8_t> encode(const Refuse& refuse);

Result<Identify> decode_identify(std::span<const uint8_t> body);
Result<Request> decode_request(std::span<const uint8_t> body);
Result<Accept> decode_accept(std::span<const uint8_t> body);
Result<Refuse> decode_refuse(std::span<const uint8_t> body);

}  // namespace ferry::handshake
