// ferry C++ transport layer: derive from ferry::sdk::Transport, register with FERRY_TRANSPORT_PLUGIN(Class).
// Header-only, compiled into the plugin.
//
// Contract (abi.h, ferry_type_transport_vtable): a transport turns addresses into connected, non-blocking,
// close-on-exec descriptors. The host does every read and write on them, may sendfile(2) to them when the
// class declares FERRY_TRANSPORT_FLAG_SENDFILE, and closes them. Methods run on the host's I/O threads, one
// connection on one thread at a time, but calls for different connections may run concurrently: a
// Transport's own state must be thread-safe (most keep only their configuration, immutable after the
// constructor). Methods must not block, except to resolve a name at listen and connect time.
//
// Failures are exceptions (throw ferry::sdk::Error, or use os_error); the outcomes a caller polls for are
// values: accept() returns nullopt when nothing is pending, connect() reports a connection in progress,
// and connect_finish() returns false while it still is. Descriptors travel as UniqueFd, so a method that
// throws halfway closes what it opened, as the ABI requires.
#ifndef FERRY_TRANSPORT_HPP
#define FERRY_TRANSPORT_HPP

#include <ferry/posix.hpp>
#include <map>
#include <memory>
#include <mutex>

namespace ferry::sdk {

struct AcceptedConnection {
  UniqueFd fd;
  std::string peer;  // printable, e.g. "127.0.0.1:51234"
};

struct Connecting {
  UniqueFd fd;
  bool in_progress = false;  // wait until fd is writable, then call connect_finish
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Binds and listens; the descriptor is non-blocking.
  virtual UniqueFd listen(std::string_view address) = 0;
  // One pending connection, or nullopt when none is pending.
  virtual std::optional<AcceptedConnection> accept(int listen_fd) = 0;
  virtual Connecting connect(std::string_view address) = 0;
  // Completes a connection that connect() left in progress: true when established, false when it is still
  // in progress (wait for writability again). address is what connect() was given, for error messages; it
  // is empty when the host passes a descriptor this instance did not start.
  virtual bool connect_finish(int fd, std::string_view address) = 0;
  // The printable local address; a listener bound to port 0 shows its real port.
  virtual std::string local_address(int fd) = 0;
};

namespace detail {

// Copies text into a C buffer of capacity bytes, NUL-terminated; false when it had to be truncated.
inline bool copy_out(std::string_view text, char* buffer, size_t capacity) noexcept {
  if (buffer == nullptr || capacity == 0) return text.empty();
  const size_t n = text.size() < capacity ? text.size() : capacity - 1;
  if (n > 0) std::memcpy(buffer, text.data(), n);
  buffer[n] = '\0';
  return n == text.size();
}

inline std::string_view address_text(const char* address, size_t length) {
  if (address == nullptr && length != 0) throw Error(FERRY_ERR_INVALID_ARGUMENT, "address is NULL");
  return address == nullptr ? std::string_view() : std::string_view(address, length);
}

// The address of every connection left in progress, so that connect_finish can name it in its errors. An
// entry is removed when the connection finishes; one the host abandons (closing the descriptor without
// finishing) is dropped when the descriptor number comes back from a later connect, so the map never
// holds more entries than there are descriptor numbers.
class PendingConnects {
 public:
  void set(int fd, std::string_view address) {
    std::lock_guard lock(mutex_);
    addresses_.insert_or_assign(fd, std::string(address));
  }
  std::string take(int fd) {
    std::lock_guard lock(mutex_);
    auto node = addresses_.extract(fd);
    return node.empty() ? std::string() : std::move(node.mapped());
  }

 private:
  std::mutex mutex_;
  std::map<int, std::string> addresses_;
};

struct TransportInstance {
  std::unique_ptr<Transport> transport;
  PendingConnects pending;
};

template <typename T>
struct TransportAdapter {
  static TransportInstance& self(void* instance) { return *static_cast<TransportInstance*>(instance); }

  static void* create(const ferry_type_host_services* host, const ferry_type_config_view* config,
                      ferry_type_error* error) {
    TransportInstance* instance = nullptr;
    guard(error, [&] {
      auto made = std::make_unique<TransportInstance>();
      made->transport = std::make_unique<T>(Host(host, config));
      instance = made.release();
    });
    return instance;
  }

  static void destroy(void* instance) { delete static_cast<TransportInstance*>(instance); }

  static ferry_type_status listen(void* instance, const char* address, size_t length, int32_t* listen_fd,
                                  ferry_type_error* error) {
    return guard(error, [&] {
      if (listen_fd == nullptr) throw Error(FERRY_ERR_INVALID_ARGUMENT, "listen_fd is NULL");
      *listen_fd = self(instance).transport->listen(address_text(address, length)).release();
    });
  }

  static ferry_type_status accept(void* instance, int32_t listen_fd, int32_t* fd, char* peer, size_t peer_capacity,
                                  ferry_type_error* error) {
    bool accepted_one = false;
    const ferry_type_status status = guard(error, [&] {
      if (fd == nullptr) throw Error(FERRY_ERR_INVALID_ARGUMENT, "fd is NULL");
      auto accepted = self(instance).transport->accept(listen_fd);
      if (!accepted) return;
      accepted_one = true;
      copy_out(accepted->peer, peer, peer_capacity);  // the ABI asks for truncation
      *fd = accepted->fd.release();
    });
    if (status != FERRY_OK || accepted_one) return status;
    fill_error(error, FERRY_ERR_WOULD_BLOCK, "no connection is pending");
    return FERRY_ERR_WOULD_BLOCK;
  }

  static ferry_type_status connect(void* instance, const char* address, size_t length, int32_t* fd,
                                   int32_t* in_progress, ferry_type_error* error) {
    return guard(error, [&] {
      if (fd == nullptr || in_progress == nullptr) throw Error(FERRY_ERR_INVALID_ARGUMENT, "fd or in_progress is NULL");
      const std::string_view text = address_text(address, length);
      Connecting started = self(instance).transport->connect(text);
      if (started.in_progress)
        self(instance).pending.set(started.fd.get(), text);
      else
        self(instance).pending.take(started.fd.get());
      *in_progress = started.in_progress ? 1 : 0;
      *fd = started.fd.release();
    });
  }

  static ferry_type_status connect_finish(void* instance, int32_t fd, ferry_type_error* error) {
    bool connected = false;
    const ferry_type_status status = guard(error, [&] {
      TransportInstance& owner = self(instance);
      std::string address = owner.pending.take(fd);
      connected = owner.transport->connect_finish(fd, address);
      if (!connected) owner.pending.set(fd, address);  // still connecting: keep it for the next call
    });
    if (status != FERRY_OK || connected) return status;
    fill_error(error, FERRY_ERR_WOULD_BLOCK, "still connecting");
    return FERRY_ERR_WOULD_BLOCK;
  }

  static ferry_type_status local_address(void* instance, int32_t fd, char* address, size_t capacity,
                                         ferry_type_error* error) {
    return guard(error, [&] {
      const std::string text = self(instance).transport->local_address(fd);
      if (!copy_out(text, address, capacity))
        throw Error(FERRY_ERR_NO_SPACE, "the local address needs " + std::to_string(text.size() + 1) +
                                            " bytes, the buffer has " + std::to_string(capacity));
    });
  }

  static constexpr ferry_type_transport_vtable vtable{
      sizeof(ferry_type_transport_vtable), T::transport_flags, &create, &destroy, &listen, &accept, &connect,
      &connect_finish, &local_address};
};

}  // namespace detail
}  // namespace ferry::sdk

// Registers Class as this shared object's transport plugin. Class derives from ferry::sdk::Transport, is
// constructible from a ferry::sdk::Host, has `static ferry::sdk::PluginInfo info()` and
// `static constexpr uint32_t transport_flags` (FERRY_TRANSPORT_FLAG_*, or 0).
#define FERRY_TRANSPORT_PLUGIN(Class)                                                                 \
  extern "C" FERRY_PLUGIN_EXPORT const ferry_type_plugin_descriptor* ferry_plugin_entry(void) {       \
    static const ferry_type_plugin_descriptor descriptor = ::ferry::sdk::make_descriptor(             \
        FERRY_KIND_TRANSPORT, Class::info(), &::ferry::sdk::detail::TransportAdapter<Class>::vtable); \
    return &descriptor;                                                                               \
  }

#endif  // FERRY_TRANSPORT_HPP
