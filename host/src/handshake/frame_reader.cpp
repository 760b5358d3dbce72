#include "handshake/frame_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "handshake/big_endian.hpp"

namespace ferry::handshake {
namespace {

std::string hex_bytes(std::span<const uint8_t> bytes) {
  std::string text;
  char digits[4];
  for (uint8_t byte : bytes) {
    std::snprintf(digits, sizeof digits, "%02x", static_cast<unsigned>(byte));
    text += (text.empty() ? "" : " ") + std::string(digits);
  }
  return text;
}

}  // namespace

ReadStep FrameReader::read(std::span<const uint8_t> input) {
  if (failed_) return {0, std::nullopt, failed_};
  size_t used = 0;
  if (header_filled_ < header_size) {
    const size_t take = std::min(header_size - header_filled_, input.size());
    std::copy_n(input.begin(), take, header_.begin() + static_cast<std::ptrdiff_t>(header_filled_));
    header_filled_ += take;
    used += take;
    if (header_filled_ < header_size) return {used, std::nullopt, std::nullopt};
    if (auto error = check_header()) {
      failed_ = error;
      return {used, std::nullopt, failed_};
    }
    body_.reserve(body_length_);
  }
  const size_t take = std::min<size_t>(body_length_ - body_.size(), input.size() - used);
  body_.insert(body_.end(), input.begin() + static_cast<std::ptrdiff_t>(used),
               input.begin() + static_cast<std::ptrdiff_t>(used + take));
  used += take;
  if (body_.size() < body_length_) return {used, std::nullopt, std::nullopt};

  Frame frame{static_cast<uint16_t>(get_be(std::span(header_).subspan(4, 2))),
              static_cast<uint16_t>(get_be(std::span(header_).subspan(6, 2))), std::move(body_)};
  body_ = {};
  header_filled_ = 0;
  return {used, std::move(frame), std::nullopt};
}

std::optional<Error> FrameReader::check_header() {
  const std::span<const uint8_t> seen = std::span(header_).first(4);
  if (!std::equal(seen.begin(), seen.end(), magic.begin())) {
    std::string reason = "wrong magic " + hex_bytes(seen) + " (expected " + hex_bytes(magic) +
                         ", \"FERY\"): the peer does not speak the ferry handshake";
    // The commonest cause: one node wraps connections in TLS and the other does not.
    if (seen[0] == 0x16 && seen[1] == 0x03) reason += "; its bytes look like TLS: is TLS enabled on one side only?";
    return Error{reason};
  }
  if (get_be(std::span(header_).subspan(4, 2)) == 0) return Error{"handshake version 0 is invalid"};
  body_length_ = static_cast<uint32_t>(get_be(std::span(header_).subspan(8, 4)));
  if (body_length_ > max_body_size)
    return Error{"frame body of " + std::to_string(body_length_) + " bytes exceeds the limit of " +
                 std::to_string(max_body_size)};
  return std::nullopt;
}

}  // namespace ferry::handshake
