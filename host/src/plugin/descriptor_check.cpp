#include "plugin/descriptor_check.hpp"

#include <cstring>
#include <string_view>

namespace ferry::plugin {
namespace {

constexpr size_t kVersionPrefixSize = offsetof(ferry_type_plugin_descriptor, kind);
constexpr size_t kMinimumDescriptorSize = offsetof(ferry_type_plugin_descriptor, vtable) + sizeof(void*);
constexpr size_t kLongestName = 64;

// A plugin's string, read no further than limit bytes so that a missing terminator cannot run away.
std::string_view bounded(const char* text, size_t limit = 256) {
  return text == nullptr ? std::string_view() : std::string_view(text, strnlen(text, limit));
}

std::string abi_text(uint16_t major, uint16_t minor) { return std::to_string(major) + "." + std::to_string(minor); }

std::string check_config_keys(const ferry_type_plugin_descriptor& d) {
  if (d.config_key_count > 0 && d.config_keys == nullptr) return "declares config keys but gives no list";
  for (size_t i = 0; i < d.config_key_count; ++i) {
    const ferry_type_config_key& key = d.config_keys[i];
    const std::string_view name = bounded(key.name, kLongestName + 1);
    if (!is_valid_name(name)) return "config key #" + std::to_string(i) + " has an invalid name";
    if (name == "name" || name == "plugin")
      return "config key '" + std::string(name) + "' is reserved by the host";
    for (size_t j = 0; j < i; ++j)
      if (bounded(d.config_keys[j].name, kLongestName + 1) == name)
        return "config key '" + std::string(name) + "' is declared twice";
    if (key.type < FERRY_CONFIG_STRING || key.type > FERRY_CONFIG_DURATION)
      return "config key '" + std::string(name) + "' has unknown type " + std::to_string(key.type);
    if (key.minimum > key.maximum)
      return "config key '" + std::string(name) + "' has a minimum above its maximum";
  }
  return {};
}

std::string check_features(const ferry_type_plugin_descriptor& d) {
  if (d.feature_count > 0 && d.features == nullptr) return "declares features but gives no list";
  uint64_t seen = 0;
  for (size_t i = 0; i < d.feature_count; ++i) {
    const ferry_type_feature& feature = d.features[i];
    const std::string_view name = bounded(feature.name, kLongestName + 1);
    if (!is_valid_name(name)) return "feature #" + std::to_string(i) + " has an invalid name";
    if (feature.bit >= 64) return "feature '" + std::string(name) + "' uses bit " + std::to_string(feature.bit) + " (0..63)";
    if (seen & (uint64_t{1} << feature.bit))
      return "feature '" + std::string(name) + "' reuses bit " + std::to_string(feature.bit);
    seen |= uint64_t{1} << feature.bit;
  }
  return {};
}

}  // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > kLongestName) return false;
  const auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_or_digit(name.front())) return false;
  for (char c : name)
    if (!lower_or_digit(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

DescriptorCheck check_descriptor(const ferry_type_plugin_descriptor* descriptor) {
  DescriptorCheck check;
  if (descriptor == nullptr) {
    check.reason = "the entry symbol returned no descriptor";
    return check;
  }
  const ferry_type_plugin_descriptor& d = *descriptor;
  if (d.struct_size < kVersionPrefixSize) {
    check.reason = "descriptor is " + std::to_string(d.struct_size) + " bytes, too small to hold an ABI version";
    return check;
  }
  check.abi = abi_text(d.abi_major, d.abi_minor);
  const std::string host_abi = abi_text(FERRY_ABI_MAJOR, FERRY_ABI_MINOR);
  if (d.abi_major != FERRY_ABI_MAJOR) {
    check.reason = "built for ABI " + check.abi + " but this host speaks ABI " + host_abi + " (the major differs)";
    return check;
  }
  if (d.abi_minor > FERRY_ABI_MINOR) {
    check.reason = "built for ABI " + check.abi + ", newer than this host's ABI " + host_abi;
    return check;
  }
  if (d.struct_size < kMinimumDescriptorSize) {
    check.reason = "descriptor is " + std::to_string(d.struct_size) + " bytes but ABI " + check.abi +
                   " requires at least " + std::to_string(kMinimumDescriptorSize);
    return check;
  }
  check.kind = find_kind(d.kind);
  if (check.kind == nullptr) {
    check.reason = "unknown kind " + std::to_string(d.kind) + " (known: transport, codec, tls, sink)";
    return check;
  }
  check.kind_name = std::string(check.kind->name);
  const std::string_view name = bounded(d.name, kLongestName + 1);
  if (!is_valid_name(name)) {
    check.reason = "invalid name '" + std::string(name) + "': expected [a-z0-9][a-z0-9._-]*, at most 64 bytes";
    return check;
  }
  check.name = std::string(name);
  check.version = std::string(bounded(d.version, 64));
  if (check.version.empty()) {
    check.reason = "no version string";
    return check;
  }
  if (d.vtable == nullptr) {
    check.reason = "no " + check.kind_name + " function table";
    return check;
  }
  uint32_t table_size = 0;
  std::memcpy(&table_size, d.vtable, sizeof table_size);
  check.table_size = table_size;
  if (table_size < check.kind->minimum_table_size) {
    check.reason = check.kind_name + " table is " + std::to_string(table_size) + " bytes but ABI " + check.abi +
                   " requires at least " + std::to_string(check.kind->minimum_table_size);
    return check;
  }
  check.reason = check_config_keys(d);
  if (check.reason.empty()) check.reason = check_features(d);
  return check;
}

}  // namespace ferry::plugin
