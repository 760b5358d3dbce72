// Echoing user input inside a one-line error message.
#pragma once

#include <string>
#include <string_view>

namespace ferry::config {

// `text` in double quotes, with quotes, backslashes and control characters escaped as in TOML, and cut
// after 60 bytes (never inside a UTF-8 sequence) so that a runaway value cannot flood the terminal.
std::string quote(std::string_view text);

}  // namespace ferry::config
