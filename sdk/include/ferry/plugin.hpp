// ferry C++ plugin layer — header-only, compiled into the plugin, never into the host.
//
// It turns a C++ class into the C tables of abi.h (the "hourglass": C++ on both sides, C in the
// middle). Exceptions thrown by a plugin's methods are caught here and become a ferry_type_error, so
// none crosses the boundary. See sdk/include/ferry/sink.hpp for the sink kind and plugins/sink-null for
// a complete plugin.
//
// Thread safety: Host is immutable after construction and its methods may be called from any thread.
#ifndef FERRY_PLUGIN_HPP
#define FERRY_PLUGIN_HPP

#include <ferry/abi.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace ferry::sdk {

// Thrown by plugin code to fail a hook with a code and a sentence.
class Error : public std::exception {
 public:
  Error(ferry_type_status code, std::string message) : code_(code), message_(std::move(message)) {}
  ferry_type_status code() const noexcept { return code_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  ferry_type_status code_;
  std::string message_;
};

inline void fill_error(ferry_type_error* error, ferry_type_status code, std::string_view message) noexcept {
  if (error == nullptr) return;
  error->code = code;
  const size_t n = message.size() < FERRY_ERROR_MESSAGE_CAPACITY - 1 ? message.size() : FERRY_ERROR_MESSAGE_CAPACITY - 1;
  if (n > 0) std::memcpy(error->message, message.data(), n);
  error->message[n] = '\0';
}

// Runs body, turning any exception into a status and a filled error.
template <typename Body>
ferry_type_status guard(ferry_type_error* error, Body&& body) noexcept {
  try {
    body();
    return FERRY_OK;
  } catch (const Error& e) {
    fill_error(error, e.code(), e.what());
    return e.code();
  } catch (const std::bad_alloc&) {
    fill_error(error, FERRY_ERR_LIMIT, "out of memory");
    return FERRY_ERR_LIMIT;
  } catch (const std::exception& e) {
    fill_error(error, FERRY_ERR_INTERNAL, e.what());
    return FERRY_ERR_INTERNAL;
  } catch (...) {
    fill_error(error, FERRY_ERR_INTERNAL, "unknown exception");
    return FERRY_ERR_INTERNAL;
  }
}

// What the host gives an instance: logging and its configuration table (the latter only while the
// instance is being created).
class Host {
 public:
  Host(const ferry_type_host_services* services, const ferry_type_config_view* config)
      : services_(services), config_(config) {}

  void log(uint32_t level, std::string_view message) const {
    if (services_ != nullptr && services_->callback_log != nullptr)
      services_->callback_log(services_->context_host_ptr, level, message.data(), message.size());
  }
  void info(std::string_view message) const { log(FERRY_LOG_INFO, message); }
  void warn(std::string_view message) const { log(FERRY_LOG_WARN, message); }
  void error(std::string_view message) const { log(FERRY_LOG_ERROR, message); }

  std::optional<std::string> config_string(const char* key) const {
    const char* value = nullptr;
    size_t length = 0;
    if (!config_available() || services_->callback_config_string == nullptr ||
        services_->callback_config_string(services_->context_host_ptr, config_, key, &value, &length) != FERRY_OK)
      return std::nullopt;
    return std::string(value, length);
  }
  // Integers, sizes (bytes) and durations (milliseconds).
  std::optional<int64_t> config_integer(const char* key) const {
    int64_t value = 0;
    if (!config_available() || services_->callback_config_integer == nullptr ||
        services_->callback_config_integer(services_->context_host_ptr, config_, key, &value) != FERRY_OK)
      return std::nullopt;
    return value;
  }
  std::optional<bool> config_boolean(const char* key) const {
    int32_t value = 0;
    if (!config_available() || services_->callback_config_boolean == nullptr ||
        services_->callback_config_boolean(services_->context_host_ptr, config_, key, &value) != FERRY_OK)
      return std::nullopt;
    return value != 0;
  }

  const ferry_type_host_services* services() const { return services_; }

 private:
  bool config_available() const { return services_ != nullptr && config_ != nullptr; }

  const ferry_type_host_services* services_;
  const ferry_type_config_view* config_;
};

// Static facts about a plugin, given once to the registration macro.
struct PluginInfo {
  const char* name;
  const char* version;
  const char* description;
  std::span<const ferry_type_config_key> config_keys = {};
  std::span<const ferry_type_feature> features = {};
};

inline ferry_type_plugin_descriptor make_descriptor(uint32_t kind, const PluginInfo& info, const void* vtable) {
  ferry_type_plugin_descriptor d{};
  d.struct_size = sizeof(ferry_type_plugin_descriptor);
  d.abi_major = FERRY_ABI_MAJOR;
  d.abi_minor = FERRY_ABI_MINOR;
  d.kind = kind;
  d.name = info.name;
  d.version = info.version;
  d.description = info.description;
  d.config_keys = info.config_keys.data();
  d.config_key_count = info.config_keys.size();
  d.features = info.features.data();
  d.feature_count = info.features.size();
  d.vtable = vtable;
  return d;
}

}  // namespace ferry::sdk

#endif  // FERRY_PLUGIN_HPP
