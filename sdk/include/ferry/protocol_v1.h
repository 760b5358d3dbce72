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
#define FERRY_V1_FEATURE_DATA_CRC32C 0u /* since 1.1: DATA carries a CRC32C of its body */

/* Message types. 1..15: the communication layer. 16..: streaming sessions (added with streaming). */
#define FERRY_MSG_ACK 1u           /* how many messages of this connection the sender has received */
#define FERRY_MSG_PING 2u          /* echoed back as PONG; measures round trips and throughput */
#define FERRY_MSG_PONG 3u
#define FERRY_MSG_NODE_STOPPING 4u /* the sender is stopping: send nothing new, it drains and leaves */
#define FERRY_MSG_DATA 5u          /* an application message on a channel */
#define FERRY_MSG_IDLE_CLOSE 6u    /* the sender closes this idle connection; reopen on demand */

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

static const ferry_type_message_spec ferry_v1_messages[] = {
    {FERRY_MSG_ACK, 0, 0, "ACK", ferry_v1_ack_fields, 1},
    {FERRY_MSG_PING, 0, 0, "PING", ferry_v1_ping_fields, 3},
    {FERRY_MSG_PONG, 0, 0, "PONG", ferry_v1_ping_fields, 3},
    {FERRY_MSG_NODE_STOPPING, 0, 0, "NODE_STOPPING", ferry_v1_node_stopping_fields, 2},
    {FERRY_MSG_DATA, 0, 0, "DATA", ferry_v1_data_fields, 3},
    {FERRY_MSG_IDLE_CLOSE, 0, 0, "IDLE_CLOSE", NULL, 0},
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
