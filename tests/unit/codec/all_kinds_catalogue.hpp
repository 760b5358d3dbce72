// A catalogue in the shape of protocol_v1.h that the real one cannot yet stand in for: every field kind,
// a payload, a field and a message added in minor 1. Tests and the fuzzer run the codec core over it, so
// the paths the shipped messages do not use yet (booleans, signed, UUIDs, payloads, absent fields) are
// covered before a message needs them. Types overlap the real ones, so mutated real inputs reach it.
#pragma once

#include <ferry/protocol_v1.h>

#include <span>

namespace ferry::codec_test {

enum : uint16_t { kKinds = 1, kChunk = 2, kPlain = 3, kNewer = 4 };

inline constexpr ferry_type_field_spec kinds_fields[] = {
    {"count", FERRY_FIELD_UNSIGNED, 0, 0}, {"delta", FERRY_FIELD_SIGNED, 0, 0}, {"flag", FERRY_FIELD_BOOLEAN, 0, 0},
    {"blob", FERRY_FIELD_BYTES, 0, 0},     {"text", FERRY_FIELD_STRING, 0, 0},  {"id", FERRY_FIELD_UUID, 0, 0},
    {"later", FERRY_FIELD_UNSIGNED, 1, 0},  // appended in minor 1
};
inline constexpr ferry_type_field_spec chunk_fields[] = {
    {"offset", FERRY_FIELD_UNSIGNED, 0, 0},
};

inline constexpr ferry_type_message_spec all_kinds_messages[] = {
    {kKinds, 0, 0, "KINDS", kinds_fields, 7},
    {kChunk, 0, 1, "CHUNK", chunk_fields, 1},
    {kPlain, 0, 0, "PLAIN", nullptr, 0},
    {kNewer, 1, 0, "NEWER", nullptr, 0},  // a message that minor 0 does not have
};

inline constexpr std::span<const ferry_type_message_spec> all_kinds_catalogue{all_kinds_messages};

}  // namespace ferry::codec_test
