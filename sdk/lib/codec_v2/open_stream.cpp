#include "codec_v2/open_stream.hpp"

#include "codec_v1/decoder.hpp"
#include "codec_v1/encoder.hpp"
#include "codec_v2/encoder.hpp"
#include "codec_v2/header_reader.hpp"

namespace ferry::codec_v2 {
namespace {

class Stream final : public sdk::CodecStream {
 public:
  Stream(codec_v1::Schema schema, uint64_t max_message_size)
      : encoder_(schema, max_message_size), decoder_(schema, max_message_size, &read_header) {}

  size_t encode(const ferry_type_message& message, std::span<uint8_t> output) override {
    return encoder_.encode(message, output);
  }
  // The header carries the payload length, so the payload follows it raw, whole, in both modes.
  sdk::PayloadPrefix encode_payload_prefix(uint64_t payload_remaining, std::span<uint8_t>) override {
    return sdk::PayloadPrefix{0, payload_remaining};
  }
  sdk::Decoded decode(std::span<const uint8_t> input, std::span<ferry_type_field> fields) override {
    return decoder_.decode(input, fields);
  }

 private:
  Encoder encoder_;
  codec_v1::Decoder decoder_;
};

}  // namespace

std::unique_ptr<sdk::CodecStream> open_stream(const codec_v1::Schema& schema, const sdk::StreamOptions& options) {
  if (options.max_message_size == 0 || options.max_message_size > codec_v1::kLargestMessageSizeLimit)
    throw sdk::Error(FERRY_ERR_INVALID_ARGUMENT,
                     "max_message_size " + std::to_string(options.max_message_size) + " is outside 1.." +
                         std::to_string(codec_v1::kLargestMessageSizeLimit));
  return std::make_unique<Stream>(schema, options.max_message_size);
}

}  // namespace ferry::codec_v2
