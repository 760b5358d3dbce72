// Writing JSON text: the one place that knows how to escape a string, shared by the JSON log format
// and every `--json` output of the CLI.
#pragma once

#include <string>
#include <string_view>

namespace ferry::util {

// Appends text as a quoted JSON string. Quotes, backslashes and control characters are escaped; bytes
// that are not valid UTF-8 become U+FFFD, so the output is always valid JSON whatever the input.
void append_json_string(std::string& out, std::string_view text);

std::string json_string(std::string_view text);

}  // namespace ferry::util
