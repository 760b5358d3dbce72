// The codec-1.0 plugin: protocol version 1.0 of the catalogue in protocol_v1.h, with no features. The
// format of major 1, in both modes, is the SDK's codec_v1 library, which the tests and the fuzzer link
// directly; this file only registers it.
#include <ferry/codec.hpp>

#include "codec_v1/open_stream.hpp"

namespace {

class Codec10 final : public ferry::sdk::Codec {
 public:
  explicit Codec10(const ferry::sdk::Host&) {}

  static ferry::sdk::PluginInfo info() {
    return {"codec-1.0", "1.0.0", "Wire protocol 1.0, in stable and rolling-upgrade mode (see docs/protocol.md)"};
  }
  static constexpr ferry::sdk::CodecVersion version() { return {1, 0}; }

  std::unique_ptr<ferry::sdk::CodecStream> open(const ferry::sdk::StreamOptions& options) override {
    return ferry::codec_v1::open_stream(ferry::codec_v1::protocol_v1(version().minor), options);
  }
};

}  // namespace

FERRY_CODEC_PLUGIN(Codec10)
