// The two lists a streaming message carries inside one field: the paths a STREAM_PREPARE requests (a STRING
// of paths, each ended by a 00 byte) and the byte ranges of a STREAM_FILE (BYTES of (offset, length) varint
// pairs). docs/streaming.md specifies both.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "stream/messages.hpp"

namespace ferry::stream {

std::string encode_requests(const std::vector<std::string>& paths);
// The paths, or what is wrong with the field (an unterminated last path, an empty path).
std::variant<std::vector<std::string>, std::string> decode_requests(std::string_view field);

std::vector<uint8_t> encode_ranges(const std::vector<ByteRange>& ranges);
// The ranges, or what is wrong with the field (a malformed or missing varint). Whether they fit a file is
// check_ranges' question.
std::variant<std::vector<ByteRange>, std::string> decode_ranges(std::span<const uint8_t> field);

// Empty when ranges suit a file of size bytes: each non-empty, in order, not overlapping, inside the file.
std::string check_ranges(const std::vector<ByteRange>& ranges, uint64_t size);

// The ranges whose bytes travel: ranges itself, or the whole file when it is empty (none for an empty file).
std::vector<ByteRange> effective_ranges(const std::vector<ByteRange>& ranges, uint64_t size);

}  // namespace ferry::stream
