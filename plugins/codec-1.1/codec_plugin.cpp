// The codec-1.1 plugin: protocol version 1.1 of the catalogue in protocol_v1.h. It appends DATA.crc32c and
// NODE_STOPPING.restarting to 1.0 and declares the data_crc32c feature; it speaks stable mode with another
// 1.1 node and rolling-upgrade mode with a 1.0 node. The format is the SDK's codec_v1 library.
#include <ferry/codec.hpp>
#include <ferry/protocol_v1.h>

#include "codec_v1/open_stream.hpp"

namespace {

constexpr ferry_type_feature kFeatures[] = {
    {"data_crc32c", FERRY_V1_FEATURE_DATA_CRC32C, 0,
     "DATA messages carry a CRC32C of their body, so a receiver can check what the transport delivered"},
    {"skip_held", FERRY_V1_FEATURE_SKIP_HELD, 0,
     "a streaming receiver tells the sender when its sink already holds a file, so the file's data is not sent"},
    {"xxh3_digest", FERRY_V1_FEATURE_XXH3_DIGEST, 0,
     "a streamed file's data is checked against an XXH3-128 digest instead of SHA-256, at memory speed"},
};

class Codec11 final : public ferry::sdk::Codec {
 public:
  explicit Codec11(const ferry::sdk::Host&) {}

  static ferry::sdk::PluginInfo info() {
    ferry::sdk::PluginInfo info{"codec-1.1", "1.1.0",
                                "Wire protocol 1.1, in stable and rolling-upgrade mode (see docs/protocol.md)"};
    info.features = kFeatures;
    return info;
  }
  static constexpr ferry::sdk::CodecVersion version() { return {1, 1}; }

  std::unique_ptr<ferry::sdk::CodecStream> open(const ferry::sdk::StreamOptions& options) override {
    return ferry::codec_v1::open_stream(ferry::codec_v1::protocol_v1(version().minor), options);
  }
};

}  // namespace

FERRY_CODEC_PLUGIN(Codec11)
