// Opens a codec 2.x stream. Major 2 has one encoding for both modes: a header states its own length and
// field count, so a reader of any minor finds where each message ends and what it can read, and payloads
// follow their header raw in both modes.
#pragma once

#include <ferry/codec.hpp>
#include <memory>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v2 {

// Refuses a max_message_size outside 1..2^32 with ferry::sdk::Error(FERRY_ERR_INVALID_ARGUMENT).
std::unique_ptr<sdk::CodecStream> open_stream(const codec_v1::Schema& schema, const sdk::StreamOptions& options);

}  // namespace ferry::codec_v2
