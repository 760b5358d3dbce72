// The check every path a peer names for a received file passes before any sink sees it (the sink checks
// again against its own root): the ABI promises sinks a relative path without "..".
#pragma once

#include <string>
#include <string_view>

namespace ferry::stream {

// Empty when path is relative, '/'-separated, with no empty, "." or ".." component and no 00 byte;
// otherwise why not, naming the path.
std::string check_relative_path(std::string_view path);

}  // namespace ferry::stream
