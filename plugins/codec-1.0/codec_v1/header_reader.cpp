#include "codec_v1/header_reader.hpp"

#include <ferry/plugin.hpp>
#include <limits>

#include "codec_v1/utf8.hpp"
#include "codec_v1/varint.hpp"

namespace ferry::codec_v1 {
namespace {

constexpr size_t kTypeSize = 2;
constexpr size_t kUuidSize = 16;
constexpr size_t kPayloadLength = std::numeric_limits<size_t>::max();  // a Where that is not a field

[[noreturn]] void protocol_error(std::string message) { throw sdk::Error(FERRY_ERR_PROTOCOL, std::move(message)); }

// What is being read, named only when an error needs the words.
struct Where {
  const ferry_type_message_spec& spec;
  size_t index;  // into spec.fields, or kPayloadLength

  std::string text() const {
    if (index == kPayloadLength) return std::string("the payload length of ") + spec.name;
    return "field '" + std::string(spec.fields[index].name) + "' of " + spec.name;
  }
};

std::string limit_text(uint64_t limit) { return "the " + std::to_string(limit) + "-byte message size limit"; }

// A cursor over the input that never lets the header grow past the limit. Each read returns false when
// the input ends first; the caller then asks for more bytes.
class Reader {
 public:
  Reader(std::span<const uint8_t> input, uint64_t limit) : input_(input), limit_(limit), position_(kTypeSize) {}

  bool varint(const Where& where, uint64_t& value) {
    switch (read_varint(input_, position_, value)) {
      case VarintStatus::ok:
        check_limit(where);
        return true;
      case VarintStatus::need_more:
        return false;
      case VarintStatus::too_long:
        protocol_error(where.text() + ": varint longer than 10 bytes");
      case VarintStatus::overflow:
        protocol_error(where.text() + ": varint overflows 64 bits");
      case VarintStatus::overlong:
        protocol_error(where.text() + ": overlong varint (a shorter encoding of the same value exists)");
    }
    return false;
  }

  // length bytes of fixed size (a boolean, a UUID).
  bool fixed(const Where& where, size_t length, const uint8_t*& data) {
    if (length > input_.size() - position_) return false;
    data = input_.data() + position_;
    position_ += length;
    check_limit(where);
    return true;
  }

  // length bytes whose count the peer declared: checked against the limit before waiting for them.
  bool declared(const Where& where, uint64_t length, const uint8_t*& data) {
    if (length > limit_)
      protocol_error(where.text() + " declares " + std::to_string(length) + " bytes, above " + limit_text(limit_));
    if (length > limit_ - position_)
      protocol_error(where.text() + " declares " + std::to_string(length) + " bytes, which makes the " +
                     where.spec.name + " header at least " + std::to_string(position_ + length) + " bytes, above " +
                     limit_text(limit_));
    if (length > input_.size() - position_) return false;
    data = input_.data() + position_;
    position_ += length;
    return true;
  }

  size_t position() const { return position_; }

 private:
  void check_limit(const Where& where) const {
    if (position_ > limit_)
      protocol_error("the " + std::string(where.spec.name) + " header exceeds " + limit_text(limit_) + " at " +
                     where.text());
  }

  std::span<const uint8_t> input_;
  uint64_t limit_;
  size_t position_;
};

bool read_field(Reader& reader, const Where& where, ferry_type_field& field) {
  field.kind = where.spec.fields[where.index].kind;
  const uint8_t* data = nullptr;
  uint64_t value = 0;
  switch (field.kind) {
    case FERRY_FIELD_UNSIGNED:
      return reader.varint(where, field.integer);
    case FERRY_FIELD_SIGNED:
      if (!reader.varint(where, value)) return false;
      field.integer = static_cast<uint64_t>(unzigzag(value));
      return true;
    case FERRY_FIELD_BOOLEAN:
      if (!reader.fixed(where, 1, data)) return false;
      if (*data > 1)
        protocol_error(where.text() + " is the boolean byte " + std::to_string(*data) + ", expected 0 or 1");
      field.integer = *data;
      return true;
    case FERRY_FIELD_UUID:
      if (!reader.fixed(where, kUuidSize, data)) return false;
      field.bytes = data;
      field.length = kUuidSize;
      return true;
    case FERRY_FIELD_BYTES:
    case FERRY_FIELD_STRING:
      if (!reader.varint(where, value) || !reader.declared(where, value, data)) return false;
      field.bytes = data;
      field.length = value;
      if (field.kind == FERRY_FIELD_STRING) {
        if (const auto bad = find_invalid_utf8(std::span<const uint8_t>(data, value)))
          protocol_error(where.text() + " is not valid UTF-8 (byte " + std::to_string(*bad) + " of " +
                         std::to_string(value) + ")");
      }
      return true;
    default:
      throw sdk::Error(FERRY_ERR_INTERNAL, where.text() + " has " + field_kind_name(field.kind) + " in the catalogue");
  }
}

}  // namespace

HeaderRead read_header(const Schema& schema, uint64_t max_message_size, std::span<const uint8_t> input,
                       std::span<ferry_type_field> fields) {
  HeaderRead result;
  if (input.size() < kTypeSize) return result;
  const uint16_t type = static_cast<uint16_t>(input[0] << 8 | input[1]);
  const ferry_type_message_spec* spec = schema.find(type);
  if (spec == nullptr)
    protocol_error("message type " + std::to_string(type) + " is unknown in protocol " + schema.version());
  if (kTypeSize > max_message_size)
    protocol_error("the " + std::string(spec->name) + " header exceeds " + limit_text(max_message_size));
  if (fields.size() < spec->field_count) {
    result.status = HeaderRead::Status::need_fields;
    result.fields_needed = spec->field_count;
    return result;
  }

  // An incomplete header already longer than the limit can only end above it.
  const auto incomplete = [&] {
    if (input.size() > max_message_size)
      protocol_error("the " + std::string(spec->name) + " header exceeds " + limit_text(max_message_size));
    return result;
  };
  Reader reader(input, max_message_size);
  for (size_t i = 0; i < spec->field_count; ++i) {
    fields[i] = ferry_type_field{};  // FERRY_FIELD_ABSENT unless this minor has the field
    if (spec->fields[i].since_minor > schema.minor) continue;
    if (!read_field(reader, Where{*spec, i}, fields[i])) return incomplete();
  }
  uint64_t payload_length = 0;
  if (spec->has_payload && !reader.varint(Where{*spec, kPayloadLength}, payload_length)) return incomplete();

  result.status = HeaderRead::Status::complete;
  result.size = reader.position();
  result.message.type = type;
  result.message.field_count = static_cast<uint16_t>(spec->field_count);
  result.message.fields = fields.data();
  result.message.payload_length = payload_length;
  return result;
}

}  // namespace ferry::codec_v1
