#include "os_error.hpp"

#include <ferry/posix.hpp>

namespace ferry::sink_fs {
namespace {

constexpr size_t longest_shown_path = 120;

}  // namespace

std::string shown_path(std::string_view path) {
  std::string shown = sdk::printable(path);
  if (shown.size() <= longest_shown_path) return shown;
  return shown.replace(0, shown.size() - (longest_shown_path - 3), "...");
}

void fail(ferry_type_status code, std::string_view path, std::string_view what) {
  throw sdk::Error(code, "fs sink: " + shown_path(path) + ": " + std::string(what));
}

void fail_os(std::string_view path, std::string_view what, int errno_value) {
  const sdk::Error error = sdk::os_error(what, errno_value);
  fail(error.code(), path, error.what());
}

}  // namespace ferry::sink_fs
