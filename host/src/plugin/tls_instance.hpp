// A TLS plugin instance driven through the C ABI, and its sessions: byte filters without I/O (abi.h,
// ferry_type_tls_vtable). The caller moves ciphertext between a session and the connection; the session
// says when its handshake is done or why it failed.
//
// Outcomes the caller polls for are values: read_plaintext and take_ciphertext give WouldBlock when they
// have nothing. Errors carry the plugin's sentence.
//
// Thread safety: sessions of one instance may be used from different threads, each session by one thread
// at a time. A session keeps its instance (and so the plugin's library) alive.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "config/config.hpp"
#include "plugin/instance_context.hpp"
#include "plugin/plugin_error.hpp"

namespace ferry::plugin {

enum class TlsRole : uint32_t { client = FERRY_TLS_ROLE_CLIENT, server = FERRY_TLS_ROLE_SERVER };
enum class TlsHandshake { in_progress, done, failed };

struct TlsHandshakeState {
  TlsHandshake state = TlsHandshake::in_progress;
  std::string reason;  // why it failed
};

struct TlsInfo {
  std::string version;  // "TLSv1.3"
  std::string cipher;
  std::string peer_subject;
};

class TlsInstance;

class TlsSession {
 public:
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // How much of input the session took.
  std::variant<size_t, PluginError> feed_ciphertext(std::span<const uint8_t> input);
  std::variant<size_t, WouldBlock, PluginError> read_plaintext(std::span<uint8_t> output);
  std::variant<size_t, PluginError> write_plaintext(std::span<const uint8_t> input);
  std::variant<size_t, WouldBlock, PluginError> take_ciphertext(std::span<uint8_t> output);
  TlsHandshakeState handshake_state();
  // nullopt when the peer's certificate names `name`; otherwise why not.
  std::optional<PluginError> verify_peer_name(std::string_view name);
  TlsInfo describe();

 private:
  friend class TlsInstance;
  TlsSession(std::shared_ptr<const TlsInstance> owner, void* session);

  std::shared_ptr<const TlsInstance> owner_;
  void* session_;
};

class TlsInstance : public std::enable_shared_from_this<TlsInstance> {
 public:
  static std::variant<std::shared_ptr<TlsInstance>, PluginError> create(std::shared_ptr<Library> library,
                                                                        const config::PluginValues& values,
                                                                        runtime::EventLoop* loop);
  ~TlsInstance();
  TlsInstance(const TlsInstance&) = delete;
  TlsInstance& operator=(const TlsInstance&) = delete;

  const std::string& name() const { return name_; }
  std::variant<std::unique_ptr<TlsSession>, PluginError> open(TlsRole role) const;

 private:
  friend class TlsSession;
  TlsInstance(std::unique_ptr<InstanceContext> context, std::string name);

  // Declared first so it is destroyed last: it keeps the library loaded while the instance goes away.
  std::unique_ptr<InstanceContext> context_;
  std::string name_;
  const ferry_type_tls_vtable& table_;
  void* instance_ = nullptr;
};

// The [tls] section as the values of a TLS plugin's keys (cert, key, ca, min_version, cipher_suites,
// require_client_cert).
config::PluginValues tls_plugin_values(const config::TlsSection& tls);

}  // namespace ferry::plugin
