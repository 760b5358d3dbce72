#include "handshake/record_writer.hpp"

#include "handshake/big_endian.hpp"
#include "handshake/wire.hpp"

namespace ferry::handshake {

RecordWriter& RecordWriter::u64(uint16_t tag, uint64_t value) {
  header(tag, 8);
  put_u64(body_, value);
  return *this;
}

RecordWriter& RecordWriter::string(uint16_t tag, std::string_view value) {
  header(tag, value.size());
  body_.insert(body_.end(), value.begin(), value.end());
  return *this;
}

RecordWriter& RecordWriter::bytes(uint16_t tag, std::span<const uint8_t> value) {
  header(tag, value.size());
  body_.insert(body_.end(), value.begin(), value.end());
  return *this;
}

RecordWriter& RecordWriter::nested(uint16_t tag, const RecordWriter& inner) { return bytes(tag, inner.body_); }

// A body larger than max_body_size is still written: the peer's reader refuses it with a sentence that
// names the size, which is clearer than any failure this side could invent for a config that large.
std::vector<uint8_t> RecordWriter::frame(uint16_t type) const {
  std::vector<uint8_t> out(magic.begin(), magic.end());
  out.reserve(header_size + body_.size());
  put_u16(out, handshake_version);
  put_u16(out, type);
  put_u32(out, static_cast<uint32_t>(body_.size()));
  out.insert(out.end(), body_.begin(), body_.end());
  return out;
}

void RecordWriter::header(uint16_t tag, size_t length) {
  put_u16(body_, tag);
  put_u32(body_, static_cast<uint32_t>(length));
}

}  // namespace ferry::handshake
