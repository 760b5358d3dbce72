// What stands behind the ferry_type_host_services handed to one plugin instance: its logger, its
// configuration values and the event loop it may post to. It keeps the plugin's library loaded, and so
// does every piece of work or timer the instance has pending.
#pragma once

#include <ferry/abi.h>

#include <memory>
#include <string>

#include "config/config.hpp"
#include "plugin/library.hpp"

namespace spdlog {
class logger;
}

namespace ferry::runtime {
class EventLoop;
}

namespace ferry::plugin {

class InstanceContext {
 public:
  // loop may be null (commands that never run a node): posting and timers then fail with FERRY_ERR_LIMIT.
  InstanceContext(std::shared_ptr<Library> library, const std::string& instance_name, runtime::EventLoop* loop);
  InstanceContext(const InstanceContext&) = delete;
  InstanceContext& operator=(const InstanceContext&) = delete;

  const ferry_type_host_services* services() const { return &services_; }
  const std::shared_ptr<Library>& library() const { return library_; }
  static const ferry_type_config_view* view_of(const config::PluginValues& values);

 private:
  friend struct HostCallbacks;

  std::shared_ptr<Library> library_;
  std::shared_ptr<spdlog::logger> logger_;
  runtime::EventLoop* loop_;
  ferry_type_host_services services_{};
};

}  // namespace ferry::plugin
