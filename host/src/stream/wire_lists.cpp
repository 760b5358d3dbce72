#include "stream/wire_lists.hpp"

#include "codec_v1/varint.hpp"

namespace ferry::stream {

std::string encode_requests(const std::vector<std::string>& paths) {
  std::string field;
  for (const std::string& path : paths) {
    field += path;
    field += '\0';
  }
  return field;
}

std::variant<std::vector<std::string>, std::string> decode_requests(std::string_view field) {
  std::vector<std::string> paths;
  while (!field.empty()) {
    const size_t end = field.find('\0');
    if (end == std::string_view::npos)
      return "the last requested path is not ended by a 00 byte";
    if (end == 0) return "requested path " + std::to_string(paths.size()) + " is empty";
    paths.emplace_back(field.substr(0, end));
    field.remove_prefix(end + 1);
  }
  return paths;
}

std::vector<uint8_t> encode_ranges(const std::vector<ByteRange>& ranges) {
  std::vector<uint8_t> field(ranges.size() * 2 * codec_v1::kMaxVarintSize);
  size_t size = 0;
  for (const ByteRange& range : ranges) {
    size += codec_v1::write_varint(range.offset, field.data() + size);
    size += codec_v1::write_varint(range.length, field.data() + size);
  }
  field.resize(size);
  return field;
}

namespace {

std::string varint_problem(codec_v1::VarintStatus status) {
  switch (status) {
    case codec_v1::VarintStatus::need_more:
      return "ends inside a varint";
    case codec_v1::VarintStatus::too_long:
      return "has a varint longer than 10 bytes";
    case codec_v1::VarintStatus::overflow:
      return "has a varint that overflows 64 bits";
    default:
      return "has an overlong varint";
  }
}

}  // namespace

std::variant<std::vector<ByteRange>, std::string> decode_ranges(std::span<const uint8_t> field) {
  std::vector<ByteRange> ranges;
  size_t position = 0;
  while (position < field.size()) {
    ByteRange range;
    auto status = codec_v1::read_varint(field, position, range.offset);
    if (status == codec_v1::VarintStatus::ok) status = codec_v1::read_varint(field, position, range.length);
    if (status != codec_v1::VarintStatus::ok)
      return "the ranges field " + varint_problem(status) + " (range " + std::to_string(ranges.size()) + ")";
    ranges.push_back(range);
  }
  return ranges;
}

std::string check_ranges(const std::vector<ByteRange>& ranges, uint64_t size) {
  uint64_t end_of_previous = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    const ByteRange& range = ranges[i];
    const std::string name = "range " + std::to_string(i) + " (offset " + std::to_string(range.offset) +
                             ", length " + std::to_string(range.length) + ")";
    if (range.length == 0) return name + " is empty";
    if (i > 0 && range.offset < end_of_previous) return name + " starts before the end of the range before it";
    if (range.offset > size || range.length > size - range.offset)
      return name + " ends beyond the file's " + std::to_string(size) + " bytes";
    end_of_previous = range.offset + range.length;
  }
  return {};
}

std::vector<ByteRange> effective_ranges(const std::vector<ByteRange>& ranges, uint64_t size) {
  if (!ranges.empty()) return ranges;
  if (size == 0) return {};
  return {ByteRange{0, size}};
}

}  // namespace ferry::stream
