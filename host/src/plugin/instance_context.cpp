#include "plugin/instance_context.hpp"

#include <spdlog/spdlog.h>

#include <string_view>

#include "log/logging.hpp"
#include "runtime/event_loop.hpp"

namespace ferry::plugin {

// The C entry points of the host services, as static members so they can reach InstanceContext.
struct HostCallbacks {
  static InstanceContext& self(void* context) { return *static_cast<InstanceContext*>(context); }
  static const config::PluginValues& values(const ferry_type_config_view* view) {
    return *reinterpret_cast<const config::PluginValues*>(view);
  }

  static void log(void* context, uint32_t level, const char* message, size_t length) {
    const auto spd_level = static_cast<spdlog::level::level_enum>(level > FERRY_LOG_CRITICAL ? FERRY_LOG_CRITICAL : level);
    self(context).logger_->log(spd_level, "{}", std::string_view(message, message != nullptr ? length : 0));
  }

  template <typename T>
  static const T* lookup(const ferry_type_config_view* view, const char* key, ferry_type_status& status) {
    status = FERRY_ERR_NOT_FOUND;
    if (view == nullptr || key == nullptr) return nullptr;
    const auto& map = values(view).values;
    const auto it = map.find(std::string_view(key));
    if (it == map.end()) return nullptr;
    const T* value = std::get_if<T>(&it->second);
    status = value != nullptr ? FERRY_OK : FERRY_ERR_INVALID_ARGUMENT;
    return value;
  }

  static ferry_type_status config_string(void*, const ferry_type_config_view* view, const char* key,
                                         const char** value, size_t* length) {
    ferry_type_status status;
    if (const auto* found = lookup<std::string>(view, key, status)) {
      *value = found->c_str();
      *length = found->size();
    }
    return status;
  }

  static ferry_type_status config_integer(void*, const ferry_type_config_view* view, const char* key, int64_t* value) {
    ferry_type_status status;
    if (const auto* found = lookup<int64_t>(view, key, status)) *value = *found;
    return status;
  }

  static ferry_type_status config_boolean(void*, const ferry_type_config_view* view, const char* key, int32_t* value) {
    ferry_type_status status;
    if (const auto* found = lookup<bool>(view, key, status)) *value = *found ? 1 : 0;
    return status;
  }

  static ferry_type_status post(void* context, ferry_type_work_fn work, void* argument) {
    InstanceContext& c = self(context);
    if (work == nullptr) return FERRY_ERR_INVALID_ARGUMENT;
    if (c.loop_ == nullptr) return FERRY_ERR_LIMIT;
    // The closure holds the library so that work queued by an instance outlives the instance safely.
    const bool posted = c.loop_->post([library = c.library_, work, argument] { work(argument); });
    return posted ? FERRY_OK : FERRY_ERR_LIMIT;
  }

  static ferry_type_status timer_start(void* context, uint64_t delay_ms, ferry_type_timer_fn fire, void* argument,
                                       uint64_t* timer_id) {
    InstanceContext& c = self(context);
    if (fire == nullptr || timer_id == nullptr || delay_ms > FERRY_TIMER_MAX_DELAY_MS) return FERRY_ERR_INVALID_ARGUMENT;
    if (c.loop_ == nullptr) return FERRY_ERR_LIMIT;
    const uint64_t id = c.loop_->start_timer(std::chrono::milliseconds(delay_ms),
                                             [library = c.library_, fire, argument](bool cancelled) {
                                               fire(argument, cancelled ? 1 : 0);
                                             });
    if (id == 0) return FERRY_ERR_LIMIT;
    *timer_id = id;
    return FERRY_OK;
  }

  static void timer_cancel(void* context, uint64_t timer_id) {
    InstanceContext& c = self(context);
    if (c.loop_ != nullptr) c.loop_->cancel_timer(timer_id);
  }
};

InstanceContext::InstanceContext(std::shared_ptr<Library> library, const std::string& instance_name,
                                 runtime::EventLoop* loop)
    : library_(std::move(library)), logger_(log::get(instance_name)), loop_(loop) {
  services_.struct_size = sizeof(ferry_type_host_services);
  services_.abi_major = FERRY_ABI_MAJOR;
  services_.abi_minor = FERRY_ABI_MINOR;
  services_.context_host_ptr = this;
  services_.callback_log = &HostCallbacks::log;
  services_.callback_config_string = &HostCallbacks::config_string;
  services_.callback_config_integer = &HostCallbacks::config_integer;
  services_.callback_config_boolean = &HostCallbacks::config_boolean;
  services_.callback_post = &HostCallbacks::post;
  services_.callback_timer_start = &HostCallbacks::timer_start;
  services_.callback_timer_cancel = &HostCallbacks::timer_cancel;
}

const ferry_type_config_view* InstanceContext::view_of(const config::PluginValues& values) {
  return reinterpret_cast<const ferry_type_config_view*>(&values);
}

}  // namespace ferry::plugin
