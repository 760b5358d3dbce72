// FieldReader: reads the records of a frame body (or of a nested record) by tag, and says precisely what
// is wrong with them. Records may come in any order; tags it is not asked about are skipped, which is how
// later releases add fields. Singular tags must appear exactly once, integers are 8 bytes, strings valid
// UTF-8, fixed-size values exactly their size.
//
// The first problem wins, like a stream's fail bit: after it every getter returns a default value, so a
// decoder reads all its fields in a row and checks failed() once at the end.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "handshake/wire.hpp"

namespace ferry::handshake {

class FieldReader {
 public:
  // `where` prefixes every error, e.g. "tag 0x000a (codec_offer) #2: " inside a nested record.
  explicit FieldReader(std::span<const uint8_t> body, std::string where = {});

  // Singular, required.
  uint64_t u64(uint16_t tag, uint64_t max = std::numeric_limits<uint64_t>::max());
  std::string string(uint16_t tag);
  template <size_t N>
  std::array<uint8_t, N> fixed(uint16_t tag);
  // Singular, optional: absent gives nullopt, twice is an error.
  std::optional<uint64_t> optional_u64(uint16_t tag, uint64_t max = std::numeric_limits<uint64_t>::max());
  template <size_t N>
  std::optional<std::array<uint8_t, N>> optional_fixed(uint16_t tag);
  // Repeated, possibly absent.
  std::vector<std::string> strings(uint16_t tag);

  // A singular, required compound value: read(FieldReader&) reads its records.
  template <typename Read>
  void nested(uint16_t tag, Read&& read);
  // Every record of a repeated compound tag, in order.
  template <typename Read>
  void each(uint16_t tag, Read&& read);

  // Records a problem found by the decoder itself (a semantic check); the first problem wins.
  void fail(const std::string& reason);
  bool failed() const { return error_.has_value(); }
  const std::string& error() const { return *error_; }

 private:
  struct Record {
    uint16_t tag;
    std::span<const uint8_t> value;
  };

  const Record* single(uint16_t tag);
  bool present(uint16_t tag) const;
  bool check_length(const Record& record, size_t expected);
  std::optional<std::string> check_utf8(const Record& record);
  template <typename Read>
  void visit(const Record& record, const std::string& where, Read&& read);

  std::vector<Record> records_;
  std::string where_;
  std::optional<std::string> error_;
};

template <size_t N>
std::array<uint8_t, N> FieldReader::fixed(uint16_t tag) {
  std::array<uint8_t, N> out{};
  const Record* record = single(tag);
  if (record && check_length(*record, N)) std::copy(record->value.begin(), record->value.end(), out.begin());
  return out;
}

template <size_t N>
std::optional<std::array<uint8_t, N>> FieldReader::optional_fixed(uint16_t tag) {
  if (failed() || !present(tag)) return std::nullopt;
  return fixed<N>(tag);
}

template <typename Read>
void FieldReader::nested(uint16_t tag, Read&& read) {
  if (const Record* record = single(tag)) visit(*record, describe_tag(tag) + ": ", read);
}

template <typename Read>
void FieldReader::each(uint16_t tag, Read&& read) {
  size_t count = 0;
  for (const Record& record : records_)
    if (record.tag == tag) visit(record, describe_tag(tag) + " #" + std::to_string(++count) + ": ", read);
}

template <typename Read>
void FieldReader::visit(const Record& record, const std::string& where, Read&& read) {
  if (failed()) return;
  FieldReader inner(record.value, where_ + where);
  if (!inner.failed()) read(inner);
  if (inner.failed()) error_ = inner.error_;  // already carries the full path
}

}  // namespace ferry::handshake
