/*
 * ferry protocol major 1: the message catalogue, shared by every codec of major 1 and by the host.
 *
 * One table is the source of truth for every message of the major: its type, its fields in order (a
 * field's position is its identity), each field's kind and the minor version it first appeared in.
 * A codec for version 1.m writes, and expects, the fields whose since_minor <= m; fields are only ever
 * appended. docs/protocol.md and the golden test vectors are derived from this table.
 *
 * Plain C, header-only: the tables are static const data, so every codec compiles its own copy.
 */
#ifndef FERRY_PROTOCOL_V1_H
#define FERRY_PROTOCOL_V1_H

#include <ferry/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Feature bits of major 1 (a bit means the same in every codec of every version; see docs/protocol.md). */
#define FERRY_V1_FEATURE_DATA_CRC32C 0u /* since 1.1: DATA and STREAM_CHUNK carry a CRC32C of their data */
/* Since 1.1: every STREAM_FILE is answered with STREAM_FILE_CHECKED before its data travels; no data travels
 * for a file the receiver's sink already holds with the same size and digest. */
#define FERRY_V1_FEATURE_SKIP_HELD 1u
/* Since 1.1: the file digest in STREAM_FILE_DONE is XXH3-128 (16 bytes) instead of SHA-256, so that checking
 * a file's data costs far less than moving it. */
#define FERRY_V1_FEATURE_XXH3_DIGEST 2u
/* Since 2.0, with xxh3_digest: each chunk's payload is hashed on its own (XXH3-128); STREAM_CHUNK's crc32c
 * field carries the first four bytes of that hash, and the file digest is taken over the chunks' hashes, so
 * that each side passes over every byte once and can hash chunks in parallel. */
#define FERRY_V1_FEATURE_CHUNK_XXH3 3u

/* Message types. 1..15: the communication layer. 16..: streaming sessions (added with streaming). */
#define FERRY_MSG_ACK 1u           /* how many messages of this connection the sender has received */
#define FERRY_MSG_PING 2u          /* echoed back as PONG; measures round trips and throughput */
#define FERRY_MSG_PONG 3u
#define FERRY_MSG_NODE_STOPPING 4u /* the sender is stopping: send nothing new, it drains and leaves */
#define FERRY_MSG_DATA 5u          /* an application message on a channel */
#define FERRY_MSG_IDLE_CLOSE 6u    /* the sender closes this idle connection; reopen on demand */

/* Streaming sessions (docs/streaming.md). Every one names its session by the UUID its initiator chose. */
#define FERRY_MSG_STREAM_PREPARE 16u        /* initiator -> follower: what it sends, what it requests */
#define FERRY_MSG_STREAM_PREPARE_ACK 17u    /* follower -> initiator: what it sends in answer */
#define FERRY_MSG_STREAM_FILE 18u           /* a file's header: its chunks follow */
#define FERRY_MSG_STREAM_CHUNK 19u          /* a piece of a file's data, as the payload */
#define FERRY_MSG_STREAM_FILE_DONE 20u      /* every chunk of one attempt at a file is sent; its digest */
#define FERRY_MSG_STREAM_RETRY 21u          /* receiver -> sender: an attempt at a file failed, send it again */
#define FERRY_MSG_STREAM_FILE_COMMITTED 22u /* receiver -> sender: the sink holds the file */
#define FERRY_MSG_STREAM_COMPLETE 23u       /* the sender has finished everything it sends and receives */
#define FERRY_MSG_STREAM_FAILED 24u         /* the session failed; the reason */
#define FERRY_MSG_STREAM_KEEPALIVE 25u      /* the sender is alive but had nothing else to send */
#define FERRY_MSG_STREAM_FILE_CHECKED 26u   /* since 1.1, with skip_held: receiver -> sender: what it holds */

typedef struct ferry_type_field_spec {
  const char* name;
  uint32_t kind;        /* FERRY_FIELD_* */
  uint16_t since_minor; /* the first minor of major 1 that has this field */
  uint16_t reserved;
} ferry_type_field_spec;

typedef struct ferry_type_message_spec {
  uint16_t type;
  uint16_t since_minor;   /* the first minor that has this message */
  uint32_t has_payload;   /* nonzero: payload_length bytes follow the fields */
  const char* name;
  const ferry_type_field_spec* fields;
  size_t field_count;
} ferry_type_message_spec;

static const ferry_type_field_spec ferry_v1_ack_fields[] = {
    {"received", FERRY_FIELD_UNSIGNED, 0, 0},
};
static const ferry_type_field_spec ferry_v1_ping_fields[] = {
    {"sequence", FERRY_FIELD_UNSIGNED, 0, 0},
    {"sent_ns", FERRY_FIELD_UNSIGNED, 0, 0},
    {"padding", FERRY_FIELD_BYTES, 0, 0},
};
static const ferry_type_field_spec ferry_v1_node_stopping_fields[] = {
    {"reason", FERRY_FIELD_STRING, 0, 0},
    {"restarting", FERRY_FIELD_BOOLEAN, 1, 0}, /* the sender comes back (a restart, an upgrade) */
};
static const ferry_type_field_spec ferry_v1_data_fields[] = {
    {"channel", FERRY_FIELD_UNSIGNED, 0, 0},
    {"body", FERRY_FIELD_BYTES, 0, 0},
    {"crc32c", FERRY_FIELD_UNSIGNED, 1, 0}, /* CRC32C of body when data_crc32c is agreed; 0: not computed */
};

static const ferry_type_field_spec ferry_v1_stream_prepare_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"files", FERRY_FIELD_UNSIGNED, 0, 0},       /* how many files the initiator sends */
    {"bytes", FERRY_FIELD_UNSIGNED, 0, 0},       /* their data bytes in total */
    {"requests", FERRY_FIELD_STRING, 0, 0},      /* paths asked of the follower, each ended by a 00 byte */
    {"max_retries", FERRY_FIELD_UNSIGNED, 0, 0}, /* retries of one file before the session fails */
};
static const ferry_type_field_spec ferry_v1_stream_prepare_ack_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"files", FERRY_FIELD_UNSIGNED, 0, 0}, /* how many files the follower sends */
    {"bytes", FERRY_FIELD_UNSIGNED, 0, 0},
};
static const ferry_type_field_spec ferry_v1_stream_file_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"file", FERRY_FIELD_UNSIGNED, 0, 0},    /* 0, 1, ... in the order of the sender's files */
    {"attempt", FERRY_FIELD_UNSIGNED, 0, 0}, /* 0, then 1 after the first retry, ... */
    {"path", FERRY_FIELD_STRING, 0, 0},      /* relative, '/'-separated */
    {"size", FERRY_FIELD_UNSIGNED, 0, 0},
    {"mode", FERRY_FIELD_UNSIGNED, 0, 0},    /* POSIX permission bits */
    {"mtime_ns", FERRY_FIELD_SIGNED, 0, 0},  /* nanoseconds since the Unix epoch */
    {"ranges", FERRY_FIELD_BYTES, 0, 0},     /* empty: the whole file; else (offset, length) varint pairs */
    {"digest", FERRY_FIELD_BYTES, 0, 0},     /* empty, or the SHA-256 of the file known in advance */
};
static const ferry_type_field_spec ferry_v1_stream_chunk_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"file", FERRY_FIELD_UNSIGNED, 0, 0},
    {"attempt", FERRY_FIELD_UNSIGNED, 0, 0},
    {"offset", FERRY_FIELD_UNSIGNED, 0, 0}, /* where the payload goes in the file */
    {"crc32c", FERRY_FIELD_UNSIGNED, 1, 0}, /* CRC32C of the payload when data_crc32c is agreed; else 0 */
};
static const ferry_type_field_spec ferry_v1_stream_file_done_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"file", FERRY_FIELD_UNSIGNED, 0, 0},
    {"attempt", FERRY_FIELD_UNSIGNED, 0, 0},
    {"digest", FERRY_FIELD_BYTES, 0, 0}, /* SHA-256 of the file's content as sent */
};
static const ferry_type_field_spec ferry_v1_stream_retry_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"file", FERRY_FIELD_UNSIGNED, 0, 0},
    {"attempt", FERRY_FIELD_UNSIGNED, 0, 0}, /* the attempt that failed */
    {"reason", FERRY_FIELD_STRING, 0, 0},
};
static const ferry_type_field_spec ferry_v1_stream_file_committed_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"file", FERRY_FIELD_UNSIGNED, 0, 0},
};
static const ferry_type_field_spec ferry_v1_stream_file_checked_fields[] = {
    {"session", FERRY_FIELD_UUID, 1, 0},
    {"file", FERRY_FIELD_UNSIGNED, 1, 0},
    {"attempt", FERRY_FIELD_UNSIGNED, 1, 0}, /* the attempt of the STREAM_FILE answered */
    {"held", FERRY_FIELD_BOOLEAN, 1, 0},     /* held with the announced digest: send no data */
    {"digest", FERRY_FIELD_BYTES, 1, 0},     /* empty, or that of the file held at this path and size */
};
static const ferry_type_field_spec ferry_v1_stream_session_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
};
static const ferry_type_field_spec ferry_v1_stream_failed_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"reason", FERRY_FIELD_STRING, 0, 0},
};

static const ferry_type_message_spec ferry_v1_messages[] = {
    {FERRY_MSG_ACK, 0, 0, "ACK", ferry_v1_ack_fields, 1},
    {FERRY_MSG_PING, 0, 0, "PING", ferry_v1_ping_fields, 3},
    {FERRY_MSG_PONG, 0, 0, "PONG", ferry_v1_ping_fields, 3},
    {FERRY_MSG_NODE_STOPPING, 0, 0, "NODE_STOPPING", ferry_v1_node_stopping_fields, 2},
    {FERRY_MSG_DATA, 0, 0, "DATA", ferry_v1_data_fields, 3},
    {FERRY_MSG_IDLE_CLOSE, 0, 0, "IDLE_CLOSE", NULL, 0},
    {FERRY_MSG_STREAM_PREPARE, 0, 0, "STREAM_PREPARE", ferry_v1_stream_prepare_fields, 5},
    {FERRY_MSG_STREAM_PREPARE_ACK, 0, 0, "STREAM_PREPARE_ACK", ferry_v1_stream_prepare_ack_fields, 3},
    {FERRY_MSG_STREAM_FILE, 0, 0, "STREAM_FILE", ferry_v1_stream_file_fields, 9},
    {FERRY_MSG_STREAM_CHUNK, 0, 1, "STREAM_CHUNK", ferry_v1_stream_chunk_fields, 5},
    {FERRY_MSG_STREAM_FILE_DONE, 0, 0, "STREAM_FILE_DONE", ferry_v1_stream_file_done_fields, 4},
    {FERRY_MSG_STREAM_RETRY, 0, 0, "STREAM_RETRY", ferry_v1_stream_retry_fields, 4},
    {FERRY_MSG_STREAM_FILE_COMMITTED, 0, 0, "STREAM_FILE_COMMITTED", ferry_v1_stream_file_committed_fields, 2},
    {FERRY_MSG_STREAM_COMPLETE, 0, 0, "STREAM_COMPLETE", ferry_v1_stream_session_fields, 1},
    {FERRY_MSG_STREAM_FAILED, 0, 0, "STREAM_FAILED", ferry_v1_stream_failed_fields, 2},
    {FERRY_MSG_STREAM_KEEPALIVE, 0, 0, "STREAM_KEEPALIVE", ferry_v1_stream_session_fields, 1},
    {FERRY_MSG_STREAM_FILE_CHECKED, 1, 0, "STREAM_FILE_CHECKED", ferry_v1_stream_file_checked_fields, 5},
};

#define FERRY_V1_MESSAGE_COUNT (sizeof ferry_v1_messages / sizeof ferry_v1_messages[0])

/* The spec of a message type, or NULL when major 1 has no such type. */
static inline const ferry_type_message_spec* ferry_v1_find_message(uint16_t type) {
  for (size_t i = 0; i < FERRY_V1_MESSAGE_COUNT; ++i)
    if (ferry_v1_messages[i].type == type) return &ferry_v1_messages[i];
  return NULL;
}

/* How many fields of spec exist in minor m. */
static inline size_t ferry_v1_field_count(const ferry_type_message_spec* spec, uint16_t minor) {
  size_t count = 0;
  for (size_t i = 0; i < spec->field_count; ++i)
    if (spec->fields[i].since_minor <= minor) ++count;
  return count;
}

#ifdef __cplusplus
}
#endif

#endif /* FERRY_PROTOCOL_V1_H */
