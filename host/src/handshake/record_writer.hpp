// RecordWriter: builds a frame body (or a nested record's value) as a sequence of records, each
// tag u16, length u32, value; integers are u64, all big-endian.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ferry::handshake {

class RecordWriter {
 public:
  RecordWriter& u64(uint16_t tag, uint64_t value);
  RecordWriter& string(uint16_t tag, std::string_view value);
  RecordWriter& bytes(uint16_t tag, std::span<const uint8_t> value);
  RecordWriter& nested(uint16_t tag, const RecordWriter& inner);

  const std::vector<uint8_t>& body() const { return body_; }
  // The complete frame: the 12-byte header (this release's handshake version) followed by the body.
  std::vector<uint8_t> frame(uint16_t type) const;

 private:
  void header(uint16_t tag, size_t length);

  std::vector<uint8_t> body_;
};

}  // namespace ferry::handshake
