#include "plugin/kind.hpp"

#include <ferry/abi.h>

#include <array>
#include <cstring>

namespace ferry::plugin {
namespace {

#define FERRY_HOOK(table, member) RequiredHook{#member, offsetof(table, member)}

constexpr RequiredHook transport_hooks[] = {
    FERRY_HOOK(ferry_type_transport_vtable, on_transport_create),
    FERRY_HOOK(ferry_type_transport_vtable, on_transport_destroy),
    FERRY_HOOK(ferry_type_transport_vtable, on_transport_listen),
    FERRY_HOOK(ferry_type_transport_vtable, on_transport_accept),
    FERRY_HOOK(ferry_type_transport_vtable, on_transport_connect),
    FERRY_HOOK(ferry_type_transport_vtable, on_transport_connect_finish),
};
constexpr RequiredHook codec_hooks[] = {
    FERRY_HOOK(ferry_type_codec_vtable, on_codec_create),      FERRY_HOOK(ferry_type_codec_vtable, on_codec_destroy),
    FERRY_HOOK(ferry_type_codec_vtable, on_codec_stream_open), FERRY_HOOK(ferry_type_codec_vtable, on_codec_stream_close),
    FERRY_HOOK(ferry_type_codec_vtable, on_codec_encode),      FERRY_HOOK(ferry_type_codec_vtable, on_codec_decode),
};
constexpr RequiredHook tls_hooks[] = {
    FERRY_HOOK(ferry_type_tls_vtable, on_tls_create),          FERRY_HOOK(ferry_type_tls_vtable, on_tls_destroy),
    FERRY_HOOK(ferry_type_tls_vtable, on_tls_session_open),    FERRY_HOOK(ferry_type_tls_vtable, on_tls_session_close),
    FERRY_HOOK(ferry_type_tls_vtable, on_tls_feed_ciphertext), FERRY_HOOK(ferry_type_tls_vtable, on_tls_read_plaintext),
    FERRY_HOOK(ferry_type_tls_vtable, on_tls_write_plaintext), FERRY_HOOK(ferry_type_tls_vtable, on_tls_take_ciphertext),
    FERRY_HOOK(ferry_type_tls_vtable, on_tls_handshake_state),
};
constexpr RequiredHook sink_hooks[] = {
    FERRY_HOOK(ferry_type_sink_vtable, on_sink_create),      FERRY_HOOK(ferry_type_sink_vtable, on_sink_destroy),
    FERRY_HOOK(ferry_type_sink_vtable, on_sink_file_open),   FERRY_HOOK(ferry_type_sink_vtable, on_sink_file_write),
    FERRY_HOOK(ferry_type_sink_vtable, on_sink_file_commit), FERRY_HOOK(ferry_type_sink_vtable, on_sink_file_abort),
};

#undef FERRY_HOOK

std::string codec_version(const void* table) {
  const auto& codec = *static_cast<const ferry_type_codec_vtable*>(table);
  return std::to_string(codec.version_major) + "." + std::to_string(codec.version_minor);
}

const std::array<KindInfo, 4> kinds = {{
    {FERRY_KIND_TRANSPORT, "transport",
     offsetof(ferry_type_transport_vtable, on_transport_local_address) + sizeof(void*),
     sizeof(ferry_type_transport_vtable), transport_hooks},
    {FERRY_KIND_CODEC, "codec", offsetof(ferry_type_codec_vtable, on_codec_decode) + sizeof(void*),
     sizeof(ferry_type_codec_vtable), codec_hooks, codec_version},
    {FERRY_KIND_TLS, "tls", offsetof(ferry_type_tls_vtable, on_tls_describe) + sizeof(void*),
     sizeof(ferry_type_tls_vtable), tls_hooks},
    {FERRY_KIND_SINK, "sink", offsetof(ferry_type_sink_vtable, on_sink_stats) + sizeof(void*),
     sizeof(ferry_type_sink_vtable), sink_hooks},
}};

}  // namespace

const KindInfo* find_kind(uint32_t kind) {
  for (const KindInfo& info : kinds)
    if (info.kind == kind) return &info;
  return nullptr;
}

const KindInfo* find_kind(std::string_view name) {
  for (const KindInfo& info : kinds)
    if (info.name == name) return &info;
  return nullptr;
}

std::optional<std::string_view> missing_hook(const KindInfo& kind, const void* table) {
  for (const RequiredHook& hook : kind.required_hooks) {
    void* pointer = nullptr;
    std::memcpy(&pointer, static_cast<const unsigned char*>(table) + hook.offset, sizeof pointer);
    if (pointer == nullptr) return hook.name;
  }
  return std::nullopt;
}

}  // namespace ferry::plugin
