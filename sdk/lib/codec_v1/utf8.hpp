// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace ferry::codec_v1 {

// The offset of the first byte that makes text invalid UTF-8, or nullopt when it is valid.
std::optional<size_t> find_invalid_utf8(std::span<const uint8_t> text);

}  // namespace ferry::codec_v1
