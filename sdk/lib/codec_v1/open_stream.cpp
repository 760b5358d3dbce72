#include "codec_v1/open_stream.hpp"

#include "codec_v1/rolling_stream.hpp"
#include "codec_v1/stable_stream.hpp"

namespace ferry::codec_v1 {

std::unique_ptr<sdk::CodecStream> open_stream(const Schema& schema, const sdk::StreamOptions& options) {
  if (options.max_message_size == 0 || options.max_message_size > kLargestMessageSizeLimit)
    throw sdk::Error(FERRY_ERR_INVALID_ARGUMENT, "max_message_size " + std::to_string(options.max_message_size) +
                                                     " is outside 1.." + std::to_string(kLargestMessageSizeLimit));
  if (options.mode == FERRY_CODEC_MODE_ROLLING)
    return std::make_unique<RollingStream>(schema, options.max_message_size);
  return std::make_unique<StableStream>(schema, options.max_message_size);
}

}  // namespace ferry::codec_v1
