/*
 * ferry plugin ABI — the whole boundary between the ferry host and its plugins.
 *
 * This header is plain C (C11 and C++20 both compile it) and depends on nothing but <stddef.h> and
 * <stdint.h>. A plugin is a shared object that exports one symbol, FERRY_PLUGIN_ENTRY_NAME, returning a
 * descriptor: its kind, name, version, the sizes of its structs and one function table for its kind.
 *
 * Naming
 *   ferry_type_*      types that cross the boundary.
 *   on_*              hooks the plugin implements (members of the per-kind function tables).
 *   callback_*        services the host implements (members of ferry_type_host_services).
 *   *_host_ptr        memory owned by the host; the plugin borrows it and never frees it.
 *   *_plugin_ptr      memory owned by the plugin; the host borrows it and never frees it.
 *
 * Versioning
 *   FERRY_ABI_MAJOR changes only when an existing struct or signature changes; the host refuses a plugin
 *   built for another major. FERRY_ABI_MINOR grows when members are appended to a struct; the host refuses
 *   a plugin built for a newer minor than its own, and accepts older ones: the descriptor, every function
 *   table and every struct that may grow start with their size, and the host copies what the plugin
 *   provides into a zero-filled struct, so members a plugin does not know of read as zero (NULL hooks are
 *   "not supported"). Released members never move or change. The element structs without a size
 *   (ferry_type_error, _config_key, _feature, _field, _message, _decode_event) are frozen for the major.
 *
 * Ownership
 *   No C++ types, exceptions or allocator ownership cross the boundary. Pointers and lengths travel in
 *   pairs; strings are UTF-8 and, unless a length comes with them, NUL-terminated. Memory passed into a
 *   hook is valid only for the duration of that call unless the hook's comment says otherwise. Errors
 *   come back as a ferry_type_status plus a ferry_type_error the caller provides, which the callee fills
 *   with a code and a human sentence. A hook that fails releases whatever it acquired in that call.
 *
 * Threads
 *   The host owns every thread. A plugin starts no thread of its own unless its kind says so (none does
 *   in ABI 1.0). Transport, codec and tls hooks run on the host's I/O threads, one connection on one
 *   thread at a time; sink hooks run on the host's worker pool and may block, and the hooks for one file
 *   are never called concurrently (calls for different files may be). Host callbacks may be called from
 *   any thread the host gave the plugin.
 *
 * Lifetime
 *   The descriptor and everything it points to are static data of the plugin and live as long as the
 *   library is loaded. Every instance a plugin creates holds the library loaded; the host unloads a
 *   library only after the last instance is destroyed and no timer or posted work of it is pending.
 *   See docs/plugin-abi.md.
 */
#ifndef FERRY_ABI_H
#define FERRY_ABI_H

#include <stddef.h>
#include <stdint.h>

#define FERRY_ABI_MAJOR 1
#define FERRY_ABI_MINOR 0

/* The one exported symbol every plugin has: const ferry_type_plugin_descriptor* (void). */
#define FERRY_PLUGIN_ENTRY_NAME "ferry_plugin_entry"

#if defined(_WIN32)
#define FERRY_PLUGIN_EXPORT __declspec(dllexport)
#else
#define FERRY_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------------
 * Status and errors
 * ------------------------------------------------------------------------------------------------- */

typedef int32_t ferry_type_status;

#define FERRY_OK 0
#define FERRY_ERR_INVALID_ARGUMENT 1 /* the caller passed something malformed */
#define FERRY_ERR_IO 2               /* an operating-system call failed */
#define FERRY_ERR_NO_SPACE 3         /* an output buffer is too small; a size hint comes back */
#define FERRY_ERR_WOULD_BLOCK 4      /* nothing to do now; try again when the fd is ready */
#define FERRY_ERR_PROTOCOL 5         /* the peer's bytes break the protocol */
#define FERRY_ERR_UNSUPPORTED 6      /* the plugin does not implement this */
#define FERRY_ERR_NOT_FOUND 7        /* no such key, file or entry */
#define FERRY_ERR_LIMIT 8            /* a configured bound would be exceeded */
#define FERRY_ERR_PERMISSION 9       /* refused by policy or by the operating system */
#define FERRY_ERR_CONFIG 10          /* the plugin's configuration is invalid */
#define FERRY_ERR_INTERNAL 11        /* a bug or an unexpected condition inside the plugin */

#define FERRY_ERROR_MESSAGE_CAPACITY 256

/* Filled by the callee on failure. message is NUL-terminated and truncated to fit. The size of this
 * struct is frozen forever. */
typedef struct ferry_type_error {
  ferry_type_status code;
  uint32_t reserved;
  char message[FERRY_ERROR_MESSAGE_CAPACITY];
} ferry_type_error;

/* ---------------------------------------------------------------------------------------------------
 * Plugin kinds, log levels, configuration schema
 * ------------------------------------------------------------------------------------------------- */

#define FERRY_KIND_TRANSPORT 1u
#define FERRY_KIND_CODEC 2u
#define FERRY_KIND_TLS 3u
#define FERRY_KIND_SINK 4u

#define FERRY_LOG_TRACE 0u
#define FERRY_LOG_DEBUG 1u
#define FERRY_LOG_INFO 2u
#define FERRY_LOG_WARN 3u
#define FERRY_LOG_ERROR 4u
#define FERRY_LOG_CRITICAL 5u

#define FERRY_CONFIG_STRING 1u
#define FERRY_CONFIG_INTEGER 2u
#define FERRY_CONFIG_BOOLEAN 3u
#define FERRY_CONFIG_SIZE 4u     /* bytes; written in TOML as 4096 or "64MiB" */
#define FERRY_CONFIG_DURATION 5u /* milliseconds; written in TOML as "250ms", "10s", "5m" */

/* One key of the plugin's own configuration table (for a sink: the keys of its [[sink]] table besides
 * name and plugin, which are reserved). Names follow the plugin-name rules and are unique. The host rejects
 * unknown keys, wrong types and values outside [minimum, maximum] with the file, line and column before
 * the plugin is asked to create anything, and `ferry plugins` lists the keys with their help. */
typedef struct ferry_type_config_key {
  const char* name;
  uint32_t type;     /* FERRY_CONFIG_* */
  uint32_t required; /* nonzero: the key must be present */
  int64_t minimum;   /* for INTEGER, SIZE, DURATION; minimum == maximum == 0 means unbounded */
  int64_t maximum;
  const char* help; /* one sentence, shown by `ferry plugins` */
} ferry_type_config_key;

/* A named feature bit (codecs declare theirs; other kinds may leave the list empty). */
typedef struct ferry_type_feature {
  const char* name;
  uint32_t bit; /* 0..63 */
  uint32_t reserved;
  const char* help;
} ferry_type_feature;

/* ---------------------------------------------------------------------------------------------------
 * Host services, handed to the plugin with every instance it creates
 * ------------------------------------------------------------------------------------------------- */

/* Opaque view of one instance's configuration table; valid only during the create hook it is passed to. */
typedef struct ferry_type_config_view ferry_type_config_view;

#define FERRY_TIMER_MAX_DELAY_MS 4294967295u /* about 49 days */

typedef void (*ferry_type_work_fn)(void* argument_plugin_ptr);
/* Called exactly once per started timer: cancelled = 0 when it expired, 1 when it was cancelled or the
 * host is shutting down, so that the plugin can always free its argument. */
typedef void (*ferry_type_timer_fn)(void* argument_plugin_ptr, int32_t cancelled);

typedef struct ferry_type_host_services {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  void* context_host_ptr; /* pass back as the first argument of every callback */

  /* Writes one line to the host's log, attributed to the plugin instance. Thread-safe. */
  void (*callback_log)(void* context_host_ptr, uint32_t level, const char* message, size_t length);

  /* The instance's own configuration table. Each returns FERRY_ERR_NOT_FOUND for an absent key (use
   * the default) and FERRY_ERR_INVALID_ARGUMENT for a key of another type. Strings stay valid for the
   * duration of the create hook. SIZE and DURATION keys are read with callback_config_integer. */
  ferry_type_status (*callback_config_string)(void* context_host_ptr, const ferry_type_config_view* config_host_ptr,
                                              const char* key, const char** value_host_ptr, size_t* length);
  ferry_type_status (*callback_config_integer)(void* context_host_ptr,
                                               const ferry_type_config_view* config_host_ptr, const char* key,
                                               int64_t* value);
  ferry_type_status (*callback_config_boolean)(void* context_host_ptr,
                                               const ferry_type_config_view* config_host_ptr, const char* key,
                                               int32_t* value);

  /* Runs work(argument) soon on one of the host's I/O threads. Fails with FERRY_ERR_LIMIT when the host
   * is stopping; then work is never called. */
  ferry_type_status (*callback_post)(void* context_host_ptr, ferry_type_work_fn work, void* argument_plugin_ptr);
  /* Calls fire(argument, 0) after delay_ms (at most FERRY_TIMER_MAX_DELAY_MS) on an I/O thread, unless
   * cancelled first. Fails with FERRY_ERR_INVALID_ARGUMENT for a longer delay and FERRY_ERR_LIMIT when the
   * host is stopping; fire is then never called. */
  ferry_type_status (*callback_timer_start)(void* context_host_ptr, uint64_t delay_ms, ferry_type_timer_fn fire,
                                            void* argument_plugin_ptr, uint64_t* timer_id);
  /* Cancels a pending timer; its fire is then called with cancelled = 1. Unknown ids are ignored. */
  void (*callback_timer_cancel)(void* context_host_ptr, uint64_t timer_id);
} ferry_type_host_services;

/* Every kind's create hook has this shape. host_host_ptr stays valid until the instance is destroyed.
 * Returns the instance, or NULL with error filled. */
typedef void* (*ferry_type_create_fn)(const ferry_type_host_services* host_host_ptr,
                                      const ferry_type_config_view* config_host_ptr, ferry_type_error* error);
typedef void (*ferry_type_destroy_fn)(void* instance_plugin_ptr);

/* ---------------------------------------------------------------------------------------------------
 * Transport: turns addresses into connected, non-blocking file descriptors. The host performs all reads
 * and writes on those descriptors (so it can use sendfile where the transport allows it) and closes them.
 * ------------------------------------------------------------------------------------------------- */

#define FERRY_TRANSPORT_FLAG_SENDFILE 1u /* descriptors accept sendfile(2) from regular files */

typedef struct ferry_type_transport_vtable {
  uint32_t struct_size;
  uint32_t flags; /* FERRY_TRANSPORT_FLAG_* */
  ferry_type_create_fn on_transport_create;
  ferry_type_destroy_fn on_transport_destroy;
  /* Binds and listens on address (the transport's own syntax, e.g. "127.0.0.1:7400" or a path). */
  ferry_type_status (*on_transport_listen)(void* transport_plugin_ptr, const char* address, size_t address_length,
                                           int32_t* listen_fd, ferry_type_error* error);
  /* Accepts one pending connection; FERRY_ERR_WOULD_BLOCK when none is pending. peer receives a printable,
   * NUL-terminated peer address, truncated to peer_capacity. */
  ferry_type_status (*on_transport_accept)(void* transport_plugin_ptr, int32_t listen_fd, int32_t* fd, char* peer,
                                           size_t peer_capacity, ferry_type_error* error);
  /* Starts a connection. *in_progress = 1 means: wait until fd is writable, then call
   * on_transport_connect_finish. */
  ferry_type_status (*on_transport_connect)(void* transport_plugin_ptr, const char* address, size_t address_length,
                                            int32_t* fd, int32_t* in_progress, ferry_type_error* error);
  /* Completes a connection started with in_progress = 1 and applies the socket options.
   * FERRY_ERR_WOULD_BLOCK while the connection is still in progress. */
  ferry_type_status (*on_transport_connect_finish)(void* transport_plugin_ptr, int32_t fd, ferry_type_error* error);
  /* Writes the printable local address of fd (a listener bound to port 0 shows its real port). */
  ferry_type_status (*on_transport_local_address)(void* transport_plugin_ptr, int32_t fd, char* address,
                                                  size_t address_capacity, ferry_type_error* error);
} ferry_type_transport_vtable;

/* ---------------------------------------------------------------------------------------------------
 * Codec: one wire-protocol version, sans-I/O. Messages are a 16-bit type and an ordered list of typed
 * fields; a field's position is its identity and fields are only ever appended within a major version.
 * A message may be followed by a payload (file data) of payload_length bytes that the host writes and
 * reads itself, so chunks are never copied into messages.
 * ------------------------------------------------------------------------------------------------- */

#define FERRY_FIELD_ABSENT 0u /* not sent by the peer's version: the host applies the default */
#define FERRY_FIELD_UNSIGNED 1u
#define FERRY_FIELD_SIGNED 2u
#define FERRY_FIELD_BOOLEAN 3u
#define FERRY_FIELD_BYTES 4u
#define FERRY_FIELD_STRING 5u /* UTF-8, not NUL-terminated */
#define FERRY_FIELD_UUID 6u   /* 16 bytes */

typedef struct ferry_type_field {
  uint32_t kind; /* FERRY_FIELD_* */
  uint32_t reserved;
  uint64_t integer;     /* UNSIGNED, SIGNED (two's complement), BOOLEAN (0 or 1) */
  const uint8_t* bytes; /* BYTES, STRING, UUID: borrowed, see the hook that produced it */
  uint64_t length;
} ferry_type_field;

typedef struct ferry_type_message {
  uint16_t type;
  uint16_t field_count;
  uint32_t reserved;
  const ferry_type_field* fields;
  uint64_t payload_length;
} ferry_type_message;

#define FERRY_CODEC_MODE_STABLE 1u  /* both sides chose the same version: messages back to back */
#define FERRY_CODEC_MODE_ROLLING 2u /* same major, different minor: framed, with field counts */

#define FERRY_DECODE_NEED_MORE 0u /* consumed everything useful; feed more bytes */
#define FERRY_DECODE_MESSAGE 1u   /* message is set; its payload (if any) follows as PAYLOAD events */
#define FERRY_DECODE_PAYLOAD 2u   /* payload/payload_length is the next piece of the current payload */

typedef struct ferry_type_decode_event {
  uint32_t kind; /* FERRY_DECODE_* */
  uint32_t reserved;
  ferry_type_message message;
  /* Storage the host provides for message.fields. Decoded BYTES/STRING/UUID fields and payload pieces
   * point into the input or into the stream's own buffer, valid until the next decode call. */
  ferry_type_field* fields_host_ptr;
  size_t field_capacity;
  const uint8_t* payload;
  size_t payload_length;
} ferry_type_decode_event;

typedef struct ferry_type_codec_vtable {
  uint32_t struct_size;
  uint16_t version_major;
  uint16_t version_minor;
  uint64_t feature_mask; /* the features this version supports (names in the descriptor) */
  ferry_type_create_fn on_codec_create;
  ferry_type_destroy_fn on_codec_destroy;
  /* One stream per connection direction pair, holding the decoder's partial state. */
  void* (*on_codec_stream_open)(void* codec_plugin_ptr, uint32_t mode, uint64_t agreed_features,
                                uint64_t max_message_size, ferry_type_error* error);
  void (*on_codec_stream_close)(void* stream_plugin_ptr);
  /* Encodes the message (not its payload). FERRY_ERR_NO_SPACE sets *written to the size needed. */
  ferry_type_status (*on_codec_encode)(void* stream_plugin_ptr, const ferry_type_message* message, uint8_t* output,
                                       size_t capacity, size_t* written, ferry_type_error* error);
  /* Encodes what precedes the next piece of payload (a frame header in rolling mode, nothing in stable
   * mode) and says how many payload bytes that piece may carry. */
  ferry_type_status (*on_codec_encode_payload_prefix)(void* stream_plugin_ptr, uint64_t payload_remaining,
                                                      uint8_t* output, size_t capacity, size_t* written,
                                                      uint64_t* piece_length, ferry_type_error* error);
  /* Consumes input, producing at most one event. FERRY_ERR_PROTOCOL for malformed input. When
   * event->field_capacity is too small, fails with FERRY_ERR_NO_SPACE, consumes nothing and sets
   * event->message.field_count to the number of fields needed. */
  ferry_type_status (*on_codec_decode)(void* stream_plugin_ptr, const uint8_t* input, size_t length,
                                       size_t* consumed, ferry_type_decode_event* event, ferry_type_error* error);
} ferry_type_codec_vtable;

/* ---------------------------------------------------------------------------------------------------
 * TLS: a byte filter with no I/O. Ciphertext in, plaintext out; plaintext in, ciphertext out.
 * ------------------------------------------------------------------------------------------------- */

#define FERRY_TLS_ROLE_CLIENT 1u
#define FERRY_TLS_ROLE_SERVER 2u

#define FERRY_TLS_HANDSHAKE_IN_PROGRESS 0u
#define FERRY_TLS_HANDSHAKE_DONE 1u
#define FERRY_TLS_HANDSHAKE_FAILED 2u

typedef struct ferry_type_tls_info {
  uint32_t struct_size;
  uint32_t reserved;
  char version[32]; /* e.g. "TLSv1.3" */
  char cipher[64];
  char peer_subject[256];
} ferry_type_tls_info;

typedef struct ferry_type_tls_vtable {
  uint32_t struct_size;
  uint32_t reserved;
  ferry_type_create_fn on_tls_create; /* certificates, keys and policy */
  ferry_type_destroy_fn on_tls_destroy;
  void* (*on_tls_session_open)(void* tls_plugin_ptr, uint32_t role, ferry_type_error* error);
  void (*on_tls_session_close)(void* session_plugin_ptr);
  ferry_type_status (*on_tls_feed_ciphertext)(void* session_plugin_ptr, const uint8_t* input, size_t length,
                                              size_t* consumed, ferry_type_error* error);
  /* FERRY_ERR_WOULD_BLOCK when no plaintext is ready. */
  ferry_type_status (*on_tls_read_plaintext)(void* session_plugin_ptr, uint8_t* output, size_t capacity,
                                             size_t* produced, ferry_type_error* error);
  ferry_type_status (*on_tls_write_plaintext)(void* session_plugin_ptr, const uint8_t* input, size_t length,
                                              size_t* consumed, ferry_type_error* error);
  /* FERRY_ERR_WOULD_BLOCK when no ciphertext is waiting to be sent. */
  ferry_type_status (*on_tls_take_ciphertext)(void* session_plugin_ptr, uint8_t* output, size_t capacity,
                                              size_t* produced, ferry_type_error* error);
  /* FERRY_TLS_HANDSHAKE_*; FAILED fills error with the reason. */
  uint32_t (*on_tls_handshake_state)(void* session_plugin_ptr, ferry_type_error* error);
  /* FERRY_OK when the peer's certificate names this node (a SAN entry equal to name). */
  ferry_type_status (*on_tls_verify_peer_name)(void* session_plugin_ptr, const char* name, size_t length,
                                               ferry_type_error* error);
  ferry_type_status (*on_tls_describe)(void* session_plugin_ptr, ferry_type_tls_info* info);
} ferry_type_tls_vtable;

/* ---------------------------------------------------------------------------------------------------
 * Sink: where received files land. open -> write* -> commit (atomically visible) or abort (nothing left).
 * Hooks may block; they run on the host's worker pool.
 * ------------------------------------------------------------------------------------------------- */

typedef struct ferry_type_sink_file_info {
  uint32_t struct_size;
  uint32_t mode;             /* POSIX permission bits */
  const char* relative_path; /* '/'-separated, never absolute, never containing ".." (the host checks) */
  size_t relative_path_length;
  uint64_t size;            /* total bytes that will be written */
  int64_t mtime_ns;         /* modification time, nanoseconds since the Unix epoch */
  const uint8_t* digest;    /* expected digest of the whole file (SHA-256), may be NULL */
  size_t digest_length;
} ferry_type_sink_file_info;

typedef struct ferry_type_sink_stats {
  uint32_t struct_size;
  uint32_t reserved;
  uint64_t files_committed;
  uint64_t files_aborted;
  uint64_t bytes_committed;
  uint64_t files_open;
} ferry_type_sink_stats;

typedef struct ferry_type_sink_vtable {
  uint32_t struct_size;
  uint32_t reserved;
  ferry_type_create_fn on_sink_create;
  ferry_type_destroy_fn on_sink_destroy;
  /* Returns a file handle, or NULL with error filled (the message is shown to the user as the sink's). */
  void* (*on_sink_file_open)(void* sink_plugin_ptr, const ferry_type_sink_file_info* info, ferry_type_error* error);
  /* Chunks arrive in order; offset is where data starts within the file. */
  ferry_type_status (*on_sink_file_write)(void* file_plugin_ptr, uint64_t offset, const uint8_t* data, size_t length,
                                          ferry_type_error* error);
  /* Makes the file visible atomically and releases the handle, whether it succeeds or fails. */
  ferry_type_status (*on_sink_file_commit)(void* file_plugin_ptr, ferry_type_error* error);
  /* Discards everything written and releases the handle. Never fails. */
  void (*on_sink_file_abort)(void* file_plugin_ptr);
  /* FERRY_OK with size and digest when the sink already holds the file, FERRY_ERR_NOT_FOUND when not. */
  ferry_type_status (*on_sink_lookup)(void* sink_plugin_ptr, const char* relative_path, size_t length,
                                      uint64_t* size, uint8_t* digest, size_t digest_capacity, size_t* digest_length,
                                      ferry_type_error* error);
  ferry_type_status (*on_sink_stats)(void* sink_plugin_ptr, ferry_type_sink_stats* stats);
} ferry_type_sink_vtable;

/* ---------------------------------------------------------------------------------------------------
 * The descriptor
 * ------------------------------------------------------------------------------------------------- */

typedef struct ferry_type_plugin_descriptor {
  uint32_t struct_size; /* sizeof(ferry_type_plugin_descriptor) as the plugin was built */
  uint16_t abi_major;   /* FERRY_ABI_MAJOR as the plugin was built */
  uint16_t abi_minor;   /* FERRY_ABI_MINOR as the plugin was built */
  uint32_t kind;        /* FERRY_KIND_* */
  uint32_t reserved;
  const char* name;        /* unique among loaded plugins: [a-z0-9][a-z0-9._-]*, at most 64 bytes */
  const char* version;     /* the plugin's own version, e.g. "1.0.0" */
  const char* description; /* one sentence */
  const ferry_type_config_key* config_keys;
  size_t config_key_count;
  const ferry_type_feature* features;
  size_t feature_count;
  const void* vtable; /* the table for kind: ferry_type_<kind>_vtable, starting with its struct_size */
} ferry_type_plugin_descriptor;

typedef const ferry_type_plugin_descriptor* (*ferry_type_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* FERRY_ABI_H */
