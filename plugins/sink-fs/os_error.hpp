// How the fs sink fails: a ferry::sdk::Error whose sentence names the file and, for a failed system call,
// the operating system's own words ("fs sink: a/b.bin: cannot write at offset 4096: No space left on
// device"). The host shows this sentence to the user as the sink's message.
#pragma once

#include <ferry/plugin.hpp>

#include <string>
#include <string_view>

namespace ferry::sink_fs {

// The path as messages show it: long paths keep their end, so the OS error still fits the ABI's
// 256-byte message.
std::string shown_path(std::string_view path);

[[noreturn]] void fail(ferry_type_status code, std::string_view path, std::string_view what);
// Fails with errno_value's description and a status that matches it (permission, I/O, ...).
[[noreturn]] void fail_os(std::string_view path, std::string_view what, int errno_value);

}  // namespace ferry::sink_fs
