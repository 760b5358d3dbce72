// UTF-8 validity, shared by everything that turns a peer's or a user's bytes into text: the handshake's
// string fields and JSON output.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace ferry::util {

// Length of the valid UTF-8 sequence starting at text[i] (1 for ASCII), or 0 when none starts there:
// overlong forms, surrogates and code points above U+10FFFF are invalid (RFC 3629).
size_t utf8_sequence_length(std::string_view text, size_t i);

// The offset of the first byte that does not start a valid sequence, or nullopt when all of text is valid.
std::optional<size_t> first_invalid_utf8(std::string_view text);

}  // namespace ferry::util
