#include "plugin/transport_instance.hpp"

#include <utility>

namespace ferry::plugin {
namespace {

// Room for any printable address: an IPv6 address with scope and port, or a 107-byte socket path.
constexpr size_t address_capacity = 512;

}  // namespace

TransportInstance::TransportInstance(std::unique_ptr<InstanceContext> context, std::string name)
    : context_(std::move(context)),
      name_(std::move(name)),
      table_(context_->library()->table<ferry_type_transport_vtable>()) {}

std::variant<std::shared_ptr<TransportInstance>, PluginError> TransportInstance::create(
    std::shared_ptr<Library> library, const config::PluginValues& values, runtime::EventLoop* loop) {
  const std::string name = library->descriptor().name;
  if (library->kind().kind != FERRY_KIND_TRANSPORT)
    return PluginError{FERRY_ERR_INVALID_ARGUMENT,
                       "plugin " + name + " is a " + std::string(library->kind().name) + ", not a transport"};
  auto context = std::make_unique<InstanceContext>(std::move(library), "transport." + name, loop);
  std::shared_ptr<TransportInstance> transport(new TransportInstance(std::move(context), name));
  ferry_type_error error = blank_error();
  transport->instance_ =
      transport->table_.on_transport_create(transport->context_->services(), InstanceContext::view_of(values), &error);
  if (transport->instance_ == nullptr)
    return PluginError::from(error.code != FERRY_OK ? error.code : FERRY_ERR_INTERNAL, error);
  return transport;
}

TransportInstance::~TransportInstance() {
  if (instance_ != nullptr) table_.on_transport_destroy(instance_);
}

bool TransportInstance::supports_sendfile() const { return (table_.flags & FERRY_TRANSPORT_FLAG_SENDFILE) != 0; }

std::variant<util::UniqueFd, PluginError> TransportInstance::listen(std::string_view address) {
  ferry_type_error error = blank_error();
  int32_t fd = -1;
  const ferry_type_status status = table_.on_transport_listen(instance_, address.data(), address.size(), &fd, &error);
  if (status != FERRY_OK) return PluginError::from(status, error);
  if (fd < 0) return PluginError{FERRY_ERR_INTERNAL, "transport " + name_ + " listened but returned no descriptor"};
  return util::UniqueFd(fd);
}

std::variant<AcceptedConnection, WouldBlock, PluginError> TransportInstance::accept(int listen_fd) {
  ferry_type_error error = blank_error();
  int32_t fd = -1;
  char peer[address_capacity] = {};
  const ferry_type_status status = table_.on_transport_accept(instance_, listen_fd, &fd, peer, sizeof peer, &error);
  if (status == FERRY_ERR_WOULD_BLOCK) return WouldBlock{};
  if (status != FERRY_OK) return PluginError::from(status, error);
  if (fd < 0) return PluginError{FERRY_ERR_INTERNAL, "transport " + name_ + " accepted but returned no descriptor"};
  peer[sizeof peer - 1] = '\0';  // the plugin promises a terminator; a broken one must not make us overread
  return AcceptedConnection{util::UniqueFd(fd), peer};
}

std::variant<Connecting, PluginError> TransportInstance::connect(std::string_view address) {
  ferry_type_error error = blank_error();
  int32_t fd = -1;
  int32_t in_progress = 0;
  const ferry_type_status status =
      table_.on_transport_connect(instance_, address.data(), address.size(), &fd, &in_progress, &error);
  if (status != FERRY_OK) return PluginError::from(status, error);
  if (fd < 0) return PluginError{FERRY_ERR_INTERNAL, "transport " + name_ + " connected but returned no descriptor"};
  return Connecting{util::UniqueFd(fd), in_progress != 0};
}

std::variant<Connected, WouldBlock, PluginError> TransportInstance::connect_finish(int fd) {
  ferry_type_error error = blank_error();
  const ferry_type_status status = table_.on_transport_connect_finish(instance_, fd, &error);
  if (status == FERRY_OK) return Connected{};
  if (status == FERRY_ERR_WOULD_BLOCK) return WouldBlock{};
  return PluginError::from(status, error);
}

std::variant<std::string, PluginError> TransportInstance::local_address(int fd) {
  if (table_.on_transport_local_address == nullptr)
    return PluginError{FERRY_ERR_UNSUPPORTED, "transport " + name_ + " cannot report local addresses"};
  ferry_type_error error = blank_error();
  char address[address_capacity] = {};
  const ferry_type_status status = table_.on_transport_local_address(instance_, fd, address, sizeof address, &error);
  if (status != FERRY_OK) return PluginError::from(status, error);
  address[sizeof address - 1] = '\0';
  return std::string(address);
}

}  // namespace ferry::plugin
