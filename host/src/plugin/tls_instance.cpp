#include "plugin/tls_instance.hpp"

#include <utility>

namespace ferry::plugin {

TlsSession::TlsSession(std::shared_ptr<const TlsInstance> owner, void* session)
    : owner_(std::move(owner)), session_(session) {}

TlsSession::~TlsSession() { owner_->table_.on_tls_session_close(session_); }

std::variant<size_t, PluginError> TlsSession::feed_ciphertext(std::span<const uint8_t> input) {
  ferry_type_error error = blank_error();
  size_t consumed = 0;
  const ferry_type_status status =
      owner_->table_.on_tls_feed_ciphertext(session_, input.data(), input.size(), &consumed, &error);
  if (status != FERRY_OK) return PluginError::from(status, error);
  return consumed;
}

std::variant<size_t, WouldBlock, PluginError> TlsSession::read_plaintext(std::span<uint8_t> output) {
  ferry_type_error error = blank_error();
  size_t produced = 0;
  const ferry_type_status status =
      owner_->table_.on_tls_read_plaintext(session_, output.data(), output.size(), &produced, &error);
  if (status == FERRY_ERR_WOULD_BLOCK) return WouldBlock{};
  if (status != FERRY_OK) return PluginError::from(status, error);
  return produced;
}

std::variant<size_t, PluginError> TlsSession::write_plaintext(std::span<const uint8_t> input) {
  ferry_type_error error = blank_error();
  size_t consumed = 0;
  const ferry_type_status status =
      owner_->table_.on_tls_write_plaintext(session_, input.data(), input.size(), &consumed, &error);
  if (status != FERRY_OK) return PluginError::from(status, error);
  return consumed;
}

std::variant<size_t, WouldBlock, PluginError> TlsSession::take_ciphertext(std::span<uint8_t> output) {
  ferry_type_error error = blank_error();
  size_t produced = 0;
  const ferry_type_status status =
      owner_->table_.on_tls_take_ciphertext(session_, output.data(), output.size(), &produced, &error);
  if (status == FERRY_ERR_WOULD_BLOCK) return WouldBlock{};
  if (status != FERRY_OK) return PluginError::from(status, error);
  return produced;
}

TlsHandshakeState TlsSession::handshake_state() {
  ferry_type_error error = blank_error();
  const uint32_t state = owner_->table_.on_tls_handshake_state(session_, &error);
  if (state == FERRY_TLS_HANDSHAKE_DONE) return {TlsHandshake::done, {}};
  if (state == FERRY_TLS_HANDSHAKE_IN_PROGRESS) return {TlsHandshake::in_progress, {}};
  const PluginError failure = PluginError::from(FERRY_ERR_PERMISSION, error);
  return {TlsHandshake::failed, failure.message};
}

std::optional<PluginError> TlsSession::verify_peer_name(std::string_view name) {
  if (owner_->table_.on_tls_verify_peer_name == nullptr)
    return PluginError{FERRY_ERR_UNSUPPORTED, "TLS plugin " + owner_->name_ + " cannot check the peer's name"};
  ferry_type_error error = blank_error();
  const ferry_type_status status = owner_->table_.on_tls_verify_peer_name(session_, name.data(), name.size(), &error);
  if (status != FERRY_OK) return PluginError::from(status, error);
  return std::nullopt;
}

TlsInfo TlsSession::describe() {
  if (owner_->table_.on_tls_describe == nullptr) return {};
  ferry_type_tls_info info{};
  info.struct_size = sizeof info;
  if (owner_->table_.on_tls_describe(session_, &info) != FERRY_OK) return {};
  // The plugin promises terminators; a broken one must not make us overread.
  info.version[sizeof info.version - 1] = info.cipher[sizeof info.cipher - 1] = '\0';
  info.peer_subject[sizeof info.peer_subject - 1] = '\0';
  return {info.version, info.cipher, info.peer_subject};
}

TlsInstance::TlsInstance(std::unique_ptr<InstanceContext> context, std::string name)
    : context_(std::move(context)), name_(std::move(name)), table_(context_->library()->table<ferry_type_tls_vtable>()) {}

std::variant<std::shared_ptr<TlsInstance>, PluginError> TlsInstance::create(std::shared_ptr<Library> library,
                                                                            const config::PluginValues& values,
                                                                            runtime::EventLoop* loop) {
  const std::string name = library->descriptor().name;
  if (library->kind().kind != FERRY_KIND_TLS)
    return PluginError{FERRY_ERR_INVALID_ARGUMENT,
                       "plugin " + name + " is a " + std::string(library->kind().name) + ", not a TLS plugin"};
  auto context = std::make_unique<InstanceContext>(std::move(library), "tls." + name, loop);
  std::shared_ptr<TlsInstance> tls(new TlsInstance(std::move(context), name));
  ferry_type_error error = blank_error();
  tls->instance_ = tls->table_.on_tls_create(tls->context_->services(), InstanceContext::view_of(values), &error);
  if (tls->instance_ == nullptr) return PluginError::from(error.code != FERRY_OK ? error.code : FERRY_ERR_INTERNAL, error);
  return tls;
}

TlsInstance::~TlsInstance() {
  if (instance_ != nullptr) table_.on_tls_destroy(instance_);
}

std::variant<std::unique_ptr<TlsSession>, PluginError> TlsInstance::open(TlsRole role) const {
  ferry_type_error error = blank_error();
  void* session = table_.on_tls_session_open(instance_, static_cast<uint32_t>(role), &error);
  if (session == nullptr) return PluginError::from(error.code != FERRY_OK ? error.code : FERRY_ERR_INTERNAL, error);
  return std::unique_ptr<TlsSession>(new TlsSession(shared_from_this(), session));
}

config::PluginValues tls_plugin_values(const config::TlsSection& tls) {
  config::PluginValues out;
  out.values = {{"cert", tls.cert},
                {"key", tls.key},
                {"ca", tls.ca},
                {"min_version", tls.min_version},
                {"cipher_suites", tls.cipher_suites},
                {"require_client_cert", tls.require_client_cert}};
  return out;
}

}  // namespace ferry::plugin
