// Opens a codec 1.x stream in the mode the handshake chose: what a codec plugin of major 1 calls from its
// Codec::open.
#pragma once

#include <ferry/codec.hpp>
#include <memory>

#include "codec_v1/schema.hpp"

namespace ferry::codec_v1 {

// The host's options were checked by the SDK (known mode, features within the mask); this refuses a
// max_message_size outside 1..kLargestMessageSizeLimit with ferry::sdk::Error(FERRY_ERR_INVALID_ARGUMENT).
std::unique_ptr<sdk::CodecStream> open_stream(const Schema& schema, const sdk::StreamOptions& options);

}  // namespace ferry::codec_v1
