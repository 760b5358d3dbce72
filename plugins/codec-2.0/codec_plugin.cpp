// The codec-2.0 plugin: protocol version 2.0 of the catalogue in protocol_v2.h (the messages of 1.1 in a
// self-delimiting encoding, docs/protocol.md §4). The format is the SDK's codec_v2 library.
#include <ferry/codec.hpp>
#include <ferry/protocol_v2.h>

#include "codec_v2/open_stream.hpp"
#include "codec_v2/schema.hpp"

namespace {

constexpr ferry_type_feature kFeatures[] = {
    {"data_crc32c", FERRY_V1_FEATURE_DATA_CRC32C, 0,
     "DATA messages carry a CRC32C of their body, so a receiver can check what the transport delivered"},
    {"skip_held", FERRY_V1_FEATURE_SKIP_HELD, 0,
     "a streaming receiver tells the sender when its sink already holds a file, so the file's data is not sent"},
    {"xxh3_digest", FERRY_V1_FEATURE_XXH3_DIGEST, 0,
     "a streamed file's data is checked against an XXH3-128 digest instead of SHA-256, at memory speed"},
    {"chunk_xxh3", FERRY_V1_FEATURE_CHUNK_XXH3, 0,
     "with xxh3_digest: each chunk is checked by its own XXH3-128, and the file digest is taken over those, so "
     "every byte is hashed once"},
};

class Codec20 final : public ferry::sdk::Codec {
 public:
  explicit Codec20(const ferry::sdk::Host&) {}

  static ferry::sdk::PluginInfo info() {
    ferry::sdk::PluginInfo info{"codec-2.0", "2.0.0",
                                "Wire protocol 2.0: self-delimiting messages, one encoding for both modes (see "
                                "docs/protocol.md)"};
    info.features = kFeatures;
    return info;
  }
  static constexpr ferry::sdk::CodecVersion version() { return {2, 0}; }

  std::unique_ptr<ferry::sdk::CodecStream> open(const ferry::sdk::StreamOptions& options) override {
    return ferry::codec_v2::open_stream(ferry::codec_v2::protocol_v2(version().minor), options);
  }
};

}  // namespace

FERRY_CODEC_PLUGIN(Codec20)
