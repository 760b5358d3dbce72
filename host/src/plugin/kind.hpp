// What the host knows about each plugin kind, as data: its name, the smallest function table it accepts
// (the table as released in ABI 1.0; later minors only append) and the hooks that must not be NULL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ferry::plugin {

struct RequiredHook {
  std::string_view name;
  size_t offset;  // of the function pointer within the table
};

struct KindInfo {
  uint32_t kind;
  std::string_view name;      // "transport", "codec", "tls", "sink"
  size_t minimum_table_size;  // bytes of the ABI 1.0 table
  size_t host_table_size;     // bytes of the table this host was built with
  std::span<const RequiredHook> required_hooks;
  // The wire-protocol version a table implements, "MAJOR.MINOR"; null for kinds that implement none.
  std::string (*protocol_version)(const void* table) = nullptr;
};

const KindInfo* find_kind(uint32_t kind);
const KindInfo* find_kind(std::string_view name);

// The first mandatory hook that table (a zero-filled copy of host_table_size bytes) leaves NULL.
std::optional<std::string_view> missing_hook(const KindInfo& kind, const void* table);

}  // namespace ferry::plugin
