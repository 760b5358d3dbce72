// Fuzzes the decoder of codec 2.x (the code codec-2.0.so ships, linked directly; one format for both modes)
// as minor 0 of the real catalogue and as minors 0 and 1 of a test catalogue with every field kind and a
// payload. For each, the input is decoded as one buffer and again fed in chunks the way the host feeds a
// socket, and it checks that
//   - bad input only ever fails with FERRY_ERR_PROTOCOL and a sentence, never a crash;
//   - every decoded message re-encodes, and decoding that re-encoding gives back the same bytes when
//     encoded again (fields a newer peer sent beyond this minor are not reproduced, its values are);
//   - the chunk boundaries change nothing: same messages, same payload bytes, same failure.
#include <ferry/protocol_v1.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "all_kinds_catalogue.hpp"
#include "codec_v1/decoder.hpp"
#include "codec_v2/encoder.hpp"
#include "codec_v2/header_reader.hpp"
#include "codec_v2/schema.hpp"

namespace {

using ferry::codec_v1::Decoder;
using ferry::codec_v1::Schema;
using ferry::codec_v2::Encoder;

constexpr uint64_t kReencodeLimit = 1 << 24;  // defaults for fields a peer left out may outgrow its header

void check(bool condition) {
  if (!condition) std::abort();
}

std::vector<uint8_t> encode(const Encoder& encoder, const ferry_type_message& message) {
  std::vector<uint8_t> out(encoder.encode(message, {}));
  check(encoder.encode(message, out) == out.size());
  return out;
}

// What a decode produced, with payload pieces merged so that chunking cannot change it.
struct Trace {
  std::vector<uint8_t> events;  // 'M' + the message re-encoded, 'P' + payload bytes (pieces joined)
  bool failed = false;

  bool operator==(const Trace&) const = default;
};

class Run {
 public:
  Run(const Schema& schema, uint64_t limit)
      : schema_(schema), encoder_(schema, kReencodeLimit), decoder_(schema, limit, &ferry::codec_v2::read_header) {}

  // Feeds input in pieces of chunk bytes (0: all at once) through a buffer that keeps unconsumed bytes.
  Trace feed(std::span<const uint8_t> input, size_t chunk) {
    std::vector<uint8_t> buffer;
    size_t fed = 0;
    for (;;) {
      if (!drain(buffer)) return trace_;
      if (fed == input.size()) break;
      const size_t piece = chunk == 0 ? input.size() - fed : std::min(chunk, input.size() - fed);
      buffer.insert(buffer.end(), input.begin() + fed, input.begin() + fed + piece);
      fed += piece;
    }
    return trace_;
  }

 private:
  // Decodes until the decoder needs more; false after a protocol error.
  bool drain(std::vector<uint8_t>& buffer) {
    for (;;) {
      ferry::sdk::Decoded decoded;
      try {
        decoded = decoder_.decode(buffer, fields_);
      } catch (const ferry::sdk::Error& e) {
        check(e.code() == FERRY_ERR_PROTOCOL && e.what()[0] != '\0');
        trace_.failed = true;
        return false;
      }
      check(decoded.fields_needed == 0 && decoded.consumed <= buffer.size());
      if (decoded.kind != FERRY_DECODE_NEED_MORE) record(decoded, buffer);
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(decoded.consumed));
      if (decoded.kind == FERRY_DECODE_NEED_MORE) return true;
    }
  }

  void record(const ferry::sdk::Decoded& decoded, const std::vector<uint8_t>& buffer) {
    if (decoded.kind == FERRY_DECODE_PAYLOAD) {
      check(decoded.payload >= buffer.data() && decoded.payload + decoded.payload_length <= buffer.data() +
                                                                                                decoded.consumed);
      check(decoded.payload_length > 0);
      if (!in_payload_) trace_.events.push_back('P');
      in_payload_ = true;
      trace_.events.insert(trace_.events.end(), decoded.payload, decoded.payload + decoded.payload_length);
      return;
    }
    check(decoded.kind == FERRY_DECODE_MESSAGE);
    const std::vector<uint8_t> once = encode(encoder_, decoded.message);
    Decoder again(schema_, kReencodeLimit, &ferry::codec_v2::read_header);
    ferry_type_field fields[16]{};
    const ferry::sdk::Decoded redecoded = again.decode(once, fields);
    check(redecoded.kind == FERRY_DECODE_MESSAGE && redecoded.consumed == once.size());
    check(encode(encoder_, redecoded.message) == once);
    trace_.events.push_back('M');
    trace_.events.insert(trace_.events.end(), once.begin(), once.end());
    in_payload_ = false;
  }

  Schema schema_;
  Encoder encoder_;
  Decoder decoder_;
  ferry_type_field fields_[16]{};
  Trace trace_;
  bool in_payload_ = false;
};

// Chunks of 1..16 bytes, chosen by the input itself so that a crash reproduces from the file alone.
void fuzz(const Schema& schema, uint64_t limit, std::span<const uint8_t> input) {
  const Trace whole = Run(schema, limit).feed(input, 0);
  if (!input.empty()) check(Run(schema, limit).feed(input, 1 + input[input.size() - 1] % 16) == whole);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  fuzz(ferry::codec_v2::protocol_v2(0), 1 << 20, input);
  fuzz(Schema{ferry::codec_test::all_kinds_catalogue, 2, 0}, 48, input);
  fuzz(Schema{ferry::codec_test::all_kinds_catalogue, 2, 1}, 1 << 20, input);
  return 0;
}
