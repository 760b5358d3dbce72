/*
 * ferry protocol major 2: the message catalogue of every codec of major 2 (docs/protocol.md §4).
 *
 * Major 2 changes the encoding, not the messages: it starts from the catalogue of 1.1, with the same types
 * and the same fields in the same positions (the streaming messages included), all present since 2.0, so
 * the host's message model serves both majors. Later minors of major 2 append fields and types the same
 * way major 1 does.
 *
 * Plain C, header-only, the same shapes as protocol_v1.h.
 */
#ifndef FERRY_PROTOCOL_V2_H
#define FERRY_PROTOCOL_V2_H

#include <ferry/protocol_v1.h>

#ifdef __cplusplus
extern "C" {
#endif

static const ferry_type_field_spec ferry_v2_ack_fields[] = {
    {"received", FERRY_FIELD_UNSIGNED, 0, 0},
};
static const ferry_type_field_spec ferry_v2_ping_fields[] = {
    {"sequence", FERRY_FIELD_UNSIGNED, 0, 0},
    {"sent_ns", FERRY_FIELD_UNSIGNED, 0, 0},
    {"padding", FERRY_FIELD_BYTES, 0, 0},
};
static const ferry_type_field_spec ferry_v2_node_stopping_fields[] = {
    {"reason", FERRY_FIELD_STRING, 0, 0},
    {"restarting", FERRY_FIELD_BOOLEAN, 0, 0},
};
static const ferry_type_field_spec ferry_v2_data_fields[] = {
    {"channel", FERRY_FIELD_UNSIGNED, 0, 0},
    {"body", FERRY_FIELD_BYTES, 0, 0},
    {"crc32c", FERRY_FIELD_UNSIGNED, 0, 0},
};

static const ferry_type_field_spec ferry_v2_stream_prepare_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},   {"files", FERRY_FIELD_UNSIGNED, 0, 0},
    {"bytes", FERRY_FIELD_UNSIGNED, 0, 0}, {"requests", FERRY_FIELD_STRING, 0, 0},
    {"max_retries", FERRY_FIELD_UNSIGNED, 0, 0},
};
static const ferry_type_field_spec ferry_v2_stream_prepare_ack_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"files", FERRY_FIELD_UNSIGNED, 0, 0},
    {"bytes", FERRY_FIELD_UNSIGNED, 0, 0},
};
static const ferry_type_field_spec ferry_v2_stream_file_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},  {"file", FERRY_FIELD_UNSIGNED, 0, 0},
    {"attempt", FERRY_FIELD_UNSIGNED, 0, 0}, {"path", FERRY_FIELD_STRING, 0, 0},
    {"size", FERRY_FIELD_UNSIGNED, 0, 0}, {"mode", FERRY_FIELD_UNSIGNED, 0, 0},
    {"mtime_ns", FERRY_FIELD_SIGNED, 0, 0}, {"ranges", FERRY_FIELD_BYTES, 0, 0},
    {"digest", FERRY_FIELD_BYTES, 0, 0},
};
static const ferry_type_field_spec ferry_v2_stream_chunk_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},    {"file", FERRY_FIELD_UNSIGNED, 0, 0},
    {"attempt", FERRY_FIELD_UNSIGNED, 0, 0}, {"offset", FERRY_FIELD_UNSIGNED, 0, 0},
    {"crc32c", FERRY_FIELD_UNSIGNED, 0, 0},
};
static const ferry_type_field_spec ferry_v2_stream_file_done_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"file", FERRY_FIELD_UNSIGNED, 0, 0},
    {"attempt", FERRY_FIELD_UNSIGNED, 0, 0},
    {"digest", FERRY_FIELD_BYTES, 0, 0},
};
static const ferry_type_field_spec ferry_v2_stream_retry_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"file", FERRY_FIELD_UNSIGNED, 0, 0},
    {"attempt", FERRY_FIELD_UNSIGNED, 0, 0},
    {"reason", FERRY_FIELD_STRING, 0, 0},
};
static const ferry_type_field_spec ferry_v2_stream_file_committed_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"file", FERRY_FIELD_UNSIGNED, 0, 0},
};
static const ferry_type_field_spec ferry_v2_stream_file_checked_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"file", FERRY_FIELD_UNSIGNED, 0, 0},
    {"attempt", FERRY_FIELD_UNSIGNED, 0, 0},
    {"held", FERRY_FIELD_BOOLEAN, 0, 0},
    {"digest", FERRY_FIELD_BYTES, 0, 0},
};
static const ferry_type_field_spec ferry_v2_stream_session_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
};
static const ferry_type_field_spec ferry_v2_stream_failed_fields[] = {
    {"session", FERRY_FIELD_UUID, 0, 0},
    {"reason", FERRY_FIELD_STRING, 0, 0},
};

static const ferry_type_message_spec ferry_v2_messages[] = {
    {FERRY_MSG_ACK, 0, 0, "ACK", ferry_v2_ack_fields, 1},
    {FERRY_MSG_PING, 0, 0, "PING", ferry_v2_ping_fields, 3},
    {FERRY_MSG_PONG, 0, 0, "PONG", ferry_v2_ping_fields, 3},
    {FERRY_MSG_NODE_STOPPING, 0, 0, "NODE_STOPPING", ferry_v2_node_stopping_fields, 2},
    {FERRY_MSG_DATA, 0, 0, "DATA", ferry_v2_data_fields, 3},
    {FERRY_MSG_IDLE_CLOSE, 0, 0, "IDLE_CLOSE", NULL, 0},
    {FERRY_MSG_STREAM_PREPARE, 0, 0, "STREAM_PREPARE", ferry_v2_stream_prepare_fields, 5},
    {FERRY_MSG_STREAM_PREPARE_ACK, 0, 0, "STREAM_PREPARE_ACK", ferry_v2_stream_prepare_ack_fields, 3},
    {FERRY_MSG_STREAM_FILE, 0, 0, "STREAM_FILE", ferry_v2_stream_file_fields, 9},
    {FERRY_MSG_STREAM_CHUNK, 0, 1, "STREAM_CHUNK", ferry_v2_stream_chunk_fields, 5},
    {FERRY_MSG_STREAM_FILE_DONE, 0, 0, "STREAM_FILE_DONE", ferry_v2_stream_file_done_fields, 4},
    {FERRY_MSG_STREAM_RETRY, 0, 0, "STREAM_RETRY", ferry_v2_stream_retry_fields, 4},
    {FERRY_MSG_STREAM_FILE_COMMITTED, 0, 0, "STREAM_FILE_COMMITTED", ferry_v2_stream_file_committed_fields, 2},
    {FERRY_MSG_STREAM_COMPLETE, 0, 0, "STREAM_COMPLETE", ferry_v2_stream_session_fields, 1},
    {FERRY_MSG_STREAM_FAILED, 0, 0, "STREAM_FAILED", ferry_v2_stream_failed_fields, 2},
    {FERRY_MSG_STREAM_KEEPALIVE, 0, 0, "STREAM_KEEPALIVE", ferry_v2_stream_session_fields, 1},
    {FERRY_MSG_STREAM_FILE_CHECKED, 0, 0, "STREAM_FILE_CHECKED", ferry_v2_stream_file_checked_fields, 5},
};

#define FERRY_V2_MESSAGE_COUNT (sizeof ferry_v2_messages / sizeof ferry_v2_messages[0])

#ifdef __cplusplus
}
#endif

#endif /* FERRY_PROTOCOL_V2_H */
