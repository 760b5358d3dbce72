// UTF-8 validation of the handshake's strings: a peer's bytes become log lines and sentences.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace ferry::handshake {

// The offset of the first byte that does not start a valid UTF-8 sequence (overlong forms, surrogates and
// code points above U+10FFFF are invalid), or nullopt when all of text is valid.
std::optional<size_t> first_invalid_utf8(std::string_view text);

}  // namespace ferry::handshake
