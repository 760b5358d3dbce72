// ferry C++ TLS layer: derive from ferry::sdk::Tls, return a TlsSession from open(), register with
// FERRY_TLS_PLUGIN(Class). Header-only, compiled into the plugin.
//
// Contract (abi.h, ferry_type_tls_vtable): a session is a byte filter without I/O. The host feeds it the
// ciphertext it reads from the connection and sends what take_ciphertext gives; it writes its plaintext
// in and reads the peer's plaintext out. Until handshake_state() says done, only the handshake moves.
// Methods run on the host's I/O threads, one session on one thread at a time; sessions of one Tls may run
// concurrently, so a Tls's own state must be thread-safe (usually immutable after the constructor).
//
// Failures are exceptions (throw ferry::sdk::Error); "nothing now" is a value: read_plaintext and
// take_ciphertext return 0 when they have nothing, which the adapter reports as FERRY_ERR_WOULD_BLOCK.
#ifndef FERRY_TLS_HPP
#define FERRY_TLS_HPP

#include <ferry/plugin.hpp>

#include <memory>

namespace ferry::sdk {

enum class TlsRole : uint32_t { client = FERRY_TLS_ROLE_CLIENT, server = FERRY_TLS_ROLE_SERVER };

enum class TlsHandshake : uint32_t {
  in_progress = FERRY_TLS_HANDSHAKE_IN_PROGRESS,
  done = FERRY_TLS_HANDSHAKE_DONE,
  failed = FERRY_TLS_HANDSHAKE_FAILED,
};

struct TlsDescription {
  std::string version;  // "TLSv1.3"
  std::string cipher;
  std::string peer_subject;  // empty when the peer sent no certificate
};

class TlsSession {
 public:
  virtual ~TlsSession() = default;
  // Takes ciphertext read from the peer; returns how much it consumed.
  virtual size_t feed_ciphertext(std::span<const uint8_t> input) = 0;
  // The peer's plaintext; 0 when none is ready.
  virtual size_t read_plaintext(std::span<uint8_t> output) = 0;
  // Plaintext to send; returns how much it took (0 only before the handshake is done).
  virtual size_t write_plaintext(std::span<const uint8_t> input) = 0;
  // Ciphertext waiting to be sent; 0 when none is.
  virtual size_t take_ciphertext(std::span<uint8_t> output) = 0;
  // On failed, reason says why in one sentence.
  virtual TlsHandshake handshake_state(std::string& reason) = 0;
  // Throws Error(FERRY_ERR_PERMISSION, ...) unless the peer's certificate names `name`.
  virtual void verify_peer_name(std::string_view name) = 0;
  virtual TlsDescription describe() = 0;
};

class Tls {
 public:
  virtual ~Tls() = default;
  virtual std::unique_ptr<TlsSession> open(TlsRole role) = 0;
};

namespace detail {

inline void copy_text(std::string_view text, char* buffer, size_t capacity) noexcept {
  const size_t n = text.size() < capacity ? text.size() : capacity - 1;
  if (n > 0) std::memcpy(buffer, text.data(), n);
  buffer[n] = '\0';
}

// 0 produced means "nothing now": FERRY_ERR_WOULD_BLOCK, as the ABI says.
template <typename Produce>
ferry_type_status produce(size_t* produced, ferry_type_error* error, Produce&& body) {
  size_t n = 0;
  const ferry_type_status status = guard(error, [&] { n = body(); });
  *produced = n;
  if (status != FERRY_OK) return status;
  return n == 0 ? FERRY_ERR_WOULD_BLOCK : FERRY_OK;
}

template <typename T>
struct TlsAdapter {
  static void* create(const ferry_type_host_services* host, const ferry_type_config_view* config,
                      ferry_type_error* error) {
    Tls* instance = nullptr;
    guard(error, [&] { instance = new T(Host(host, config)); });
    return instance;
  }

  static void destroy(void* instance) { delete static_cast<Tls*>(instance); }

  static void* session_open(void* instance, uint32_t role, ferry_type_error* error) {
    TlsSession* session = nullptr;
    guard(error, [&] {
      if (role != FERRY_TLS_ROLE_CLIENT && role != FERRY_TLS_ROLE_SERVER)
        throw Error(FERRY_ERR_INVALID_ARGUMENT, "unknown TLS role " + std::to_string(role));
      session = static_cast<Tls*>(instance)->open(static_cast<TlsRole>(role)).release();
    });
    return session;
  }

  static void session_close(void* session) { delete static_cast<TlsSession*>(session); }

  static TlsSession& of(void* session) { return *static_cast<TlsSession*>(session); }

  static ferry_type_status feed_ciphertext(void* session, const uint8_t* input, size_t length, size_t* consumed,
                                           ferry_type_error* error) {
    *consumed = 0;
    return guard(error, [&] { *consumed = of(session).feed_ciphertext({input, length}); });
  }

  static ferry_type_status read_plaintext(void* session, uint8_t* output, size_t capacity, size_t* produced,
                                          ferry_type_error* error) {
    return produce(produced, error, [&] { return of(session).read_plaintext({output, capacity}); });
  }

  static ferry_type_status write_plaintext(void* session, const uint8_t* input, size_t length, size_t* consumed,
                                           ferry_type_error* error) {
    *consumed = 0;
    return guard(error, [&] { *consumed = of(session).write_plaintext({input, length}); });
  }

  static ferry_type_status take_ciphertext(void* session, uint8_t* output, size_t capacity, size_t* produced,
                                           ferry_type_error* error) {
    return produce(produced, error, [&] { return of(session).take_ciphertext({output, capacity}); });
  }

  static uint32_t handshake_state(void* session, ferry_type_error* error) {
    auto state = TlsHandshake::failed;
    std::string reason;
    const ferry_type_status status = guard(error, [&] { state = of(session).handshake_state(reason); });
    if (status != FERRY_OK) return FERRY_TLS_HANDSHAKE_FAILED;
    if (state == TlsHandshake::failed) fill_error(error, FERRY_ERR_PERMISSION, reason);
    return static_cast<uint32_t>(state);
  }

  static ferry_type_status verify_peer_name(void* session, const char* name, size_t length, ferry_type_error* error) {
    return guard(error, [&] { of(session).verify_peer_name({name, length}); });
  }

  static ferry_type_status describe(void* session, ferry_type_tls_info* info) {
    if (info == nullptr || info->struct_size < sizeof(ferry_type_tls_info)) return FERRY_ERR_INVALID_ARGUMENT;
    return guard(nullptr, [&] {
      const TlsDescription d = of(session).describe();
      copy_text(d.version, info->version, sizeof info->version);
      copy_text(d.cipher, info->cipher, sizeof info->cipher);
      copy_text(d.peer_subject, info->peer_subject, sizeof info->peer_subject);
    });
  }

  static constexpr ferry_type_tls_vtable vtable{sizeof(ferry_type_tls_vtable), 0, &create, &destroy, &session_open,
                                                &session_close, &feed_ciphertext, &read_plaintext, &write_plaintext,
                                                &take_ciphertext, &handshake_state, &verify_peer_name, &describe};
};

}  // namespace detail
}  // namespace ferry::sdk

// Registers Class as this shared object's TLS plugin. Class derives from ferry::sdk::Tls, is constructible
// from a ferry::sdk::Host, and has `static ferry::sdk::PluginInfo info()`.
#define FERRY_TLS_PLUGIN(Class)                                                                                   \
  extern "C" FERRY_PLUGIN_EXPORT const ferry_type_plugin_descriptor* ferry_plugin_entry(void) {                 \
    static const ferry_type_plugin_descriptor descriptor =                                                        \
        ::ferry::sdk::make_descriptor(FERRY_KIND_TLS, Class::info(), &::ferry::sdk::detail::TlsAdapter<Class>::vtable); \
    return &descriptor;                                                                                           \
  }

#endif  // FERRY_TLS_HPP
