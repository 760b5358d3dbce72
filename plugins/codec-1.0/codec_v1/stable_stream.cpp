#include "codec_v1/stable_stream.hpp"

namespace ferry::codec_v1 {

std::unique_ptr<sdk::CodecStream> open_stream(const Schema& schema, const sdk::StreamOptions& options) {
  if (options.mode == FERRY_CODEC_MODE_ROLLING)
    throw sdk::Error(FERRY_ERR_UNSUPPORTED, "codec " + schema.version() +
                                                " does not implement rolling-upgrade mode yet; it speaks only stable "
                                                "mode, with a peer that chose version " +
                                                schema.version() + " too");
  if (options.max_message_size == 0 || options.max_message_size > kLargestMessageSizeLimit)
    throw sdk::Error(FERRY_ERR_INVALID_ARGUMENT, "max_message_size " + std::to_string(options.max_message_size) +
                                                     " is outside 1.." + std::to_string(kLargestMessageSizeLimit));
  return std::make_unique<StableStream>(schema, options.max_message_size);
}

}  // namespace ferry::codec_v1
