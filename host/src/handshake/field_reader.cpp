#include "handshake/field_reader.hpp"

#include <cstdio>

#include "handshake/big_endian.hpp"
#include "util/utf8.hpp"

namespace ferry::handshake {

FieldReader::FieldReader(std::span<const uint8_t> body, std::string where) : where_(std::move(where)) {
  size_t offset = 0;
  while (offset < body.size()) {
    const size_t left = body.size() - offset;
    if (left < record_header_size) {
      fail(std::to_string(left) + " bytes at offset " + std::to_string(offset) + " are too few for a record header (" +
           std::to_string(record_header_size) + " bytes)");
      return;
    }
    const auto tag = static_cast<uint16_t>(get_be(body.subspan(offset, 2)));
    const uint64_t length = get_be(body.subspan(offset + 2, 4));
    if (tag == 0) {
      fail("tag 0x0000 at offset " + std::to_string(offset) + " is invalid");
      return;
    }
    if (length > left - record_header_size) {
      fail(describe_tag(tag) + " at offset " + std::to_string(offset) + " declares " + std::to_string(length) +
           " bytes but only " + std::to_string(left - record_header_size) + " follow");
      return;
    }
    records_.push_back({tag, body.subspan(offset + record_header_size, length)});
    offset += record_header_size + length;
  }
}

uint64_t FieldReader::u64(uint16_t tag, uint64_t max) {
  const Record* record = single(tag);
  if (!record || !check_length(*record, 8)) return 0;
  const uint64_t value = get_be(record->value);
  if (value > max) {
    fail(describe_tag(tag) + " is " + std::to_string(value) + "; at most " + std::to_string(max) + " is valid");
    return 0;
  }
  return value;
}

std::optional<uint64_t> FieldReader::optional_u64(uint16_t tag, uint64_t max) {
  if (failed() || !present(tag)) return std::nullopt;
  return u64(tag, max);
}

std::string FieldReader::string(uint16_t tag) {
  const Record* record = single(tag);
  if (!record) return {};
  if (auto problem = check_utf8(*record)) {
    fail(*problem);
    return {};
  }
  return {record->value.begin(), record->value.end()};
}

std::vector<std::string> FieldReader::strings(uint16_t tag) {
  std::vector<std::string> out;
  for (const Record& record : records_) {
    if (failed()) return {};
    if (record.tag != tag) continue;
    if (auto problem = check_utf8(record)) {
      fail(*problem);
      return {};
    }
    out.emplace_back(record.value.begin(), record.value.end());
  }
  return out;
}

void FieldReader::fail(const std::string& reason) {
  if (!failed()) error_ = where_ + reason;
}

const FieldReader::Record* FieldReader::single(uint16_t tag) {
  if (failed()) return nullptr;
  const Record* found = nullptr;
  size_t count = 0;
  for (const Record& record : records_)
    if (record.tag == tag) found = &record, ++count;
  if (count == 1) return found;
  fail(count == 0 ? "missing " + describe_tag(tag)
                  : describe_tag(tag) + " appears " + std::to_string(count) + " times; expected once");
  return nullptr;
}

bool FieldReader::present(uint16_t tag) const {
  return std::any_of(records_.begin(), records_.end(), [&](const Record& record) { return record.tag == tag; });
}

bool FieldReader::check_length(const Record& record, size_t expected) {
  if (record.value.size() == expected) return true;
  fail(describe_tag(record.tag) + " has " + std::to_string(record.value.size()) + " bytes; expected " +
       std::to_string(expected));
  return false;
}

std::optional<std::string> FieldReader::check_utf8(const Record& record) {
  const std::string_view text(reinterpret_cast<const char*>(record.value.data()), record.value.size());
  const auto bad = util::first_invalid_utf8(text);
  if (!bad) return std::nullopt;
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned>(record.value[*bad]));
  return describe_tag(record.tag) + " is not valid UTF-8 (byte " + byte + " at offset " + std::to_string(*bad) + ")";
}

}  // namespace ferry::handshake
