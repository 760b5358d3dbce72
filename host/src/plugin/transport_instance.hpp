// A transport created from a loaded transport plugin, driven through the C ABI. It turns addresses into
// connected, non-blocking descriptors; everything after that (reading, writing, sendfile, closing) is the
// host's, so every descriptor comes back owned by a UniqueFd.
//
// Outcomes the caller waits on are values, not errors: accept() gives WouldBlock when nothing is pending,
// connect() says whether the connection is still in progress, and connect_finish() gives WouldBlock while
// it is. Errors carry the plugin's sentence, which names the address and the operating system's reason.
//
// Thread safety: the methods may be called from several I/O threads at once, for different descriptors
// (the ABI's rule: one connection on one thread at a time). Name resolution in listen() and connect() may
// block; literal addresses never do.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "config/config.hpp"
#include "plugin/instance_context.hpp"
#include "plugin/plugin_error.hpp"
#include "util/unique_fd.hpp"

namespace ferry::plugin {

struct Connected {};

struct AcceptedConnection {
  util::UniqueFd fd;
  std::string peer;  // the peer's printable address, as the plugin describes it
};

struct Connecting {
  util::UniqueFd fd;
  bool in_progress = false;  // true: wait until fd is writable, then call connect_finish(fd)
};

class TransportInstance {
 public:
  // Creates the transport from library with its validated configuration values (see resolve_transport).
  static std::variant<std::shared_ptr<TransportInstance>, PluginError> create(std::shared_ptr<Library> library,
                                                                              const config::PluginValues& values,
                                                                              runtime::EventLoop* loop);
  ~TransportInstance();
  TransportInstance(const TransportInstance&) = delete;
  TransportInstance& operator=(const TransportInstance&) = delete;

  const std::string& name() const { return name_; }
  // Whether the host may sendfile(2) from a regular file to this transport's descriptors.
  bool supports_sendfile() const;

  std::variant<util::UniqueFd, PluginError> listen(std::string_view address);
  std::variant<AcceptedConnection, WouldBlock, PluginError> accept(int listen_fd);
  std::variant<Connecting, PluginError> connect(std::string_view address);
  std::variant<Connected, WouldBlock, PluginError> connect_finish(int fd);
  // The printable local address; a listener bound to port 0 shows its real port.
  std::variant<std::string, PluginError> local_address(int fd);

 private:
  TransportInstance(std::unique_ptr<InstanceContext> context, std::string name);

  // Declared first so it is destroyed last: it keeps the library loaded while the instance goes away.
  std::unique_ptr<InstanceContext> context_;
  std::string name_;
  const ferry_type_transport_vtable& table_;
  void* instance_ = nullptr;
};

}  // namespace ferry::plugin
