// Fuzzes the stable-mode codec 1.x decoder (the code codec-1.0.so and codec-1.1.so ship, linked directly)
// over the real catalogue at minors 0 and 1 and a test catalogue with every field kind and a payload. For
// each, the input is decoded as one buffer and again fed in chunks the way the host feeds a socket, and it
// checks that
//   - bad input only ever fails with FERRY_ERR_PROTOCOL and a sentence, never a crash;
//   - every decoded message re-encodes to exactly the bytes it was decoded from;
//   - the chunk boundaries change nothing: same messages, same payload bytes, same failure.
#include <ferry/protocol_v1.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "all_kinds_catalogue.hpp"
#include "codec_v1/decoder.hpp"
#include "codec_v1/encoder.hpp"

namespace {

using ferry::codec_v1::Decoder;
using ferry::codec_v1::Encoder;
using ferry::codec_v1::Schema;

void check(bool condition) {
  if (!condition) std::abort();
}

// What a decode produced, with payload pieces merged so that chunking cannot change it.
struct Trace {
  std::vector<uint8_t> events;  // 'M' + the message's bytes, 'P' + payload bytes (pieces joined)
  bool failed = false;
  size_t left_over = 0;  // bytes of an incomplete header at the end

  bool operator==(const Trace&) const = default;
};

class Run {
 public:
  Run(const Schema& schema, uint64_t limit) : encoder_(schema, limit), decoder_(schema, limit) {}

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
    trace_.left_over = buffer.size();
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
      if (decoded.kind == FERRY_DECODE_NEED_MORE) {
        check(decoded.consumed == 0);
        return true;
      }
      record(decoded, std::span<const uint8_t>(buffer.data(), decoded.consumed));
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(decoded.consumed));
    }
  }

  void record(const ferry::sdk::Decoded& decoded, std::span<const uint8_t> bytes) {
    if (decoded.kind == FERRY_DECODE_PAYLOAD) {
      check(decoded.payload == bytes.data() && decoded.payload_length == bytes.size() && !bytes.empty());
      if (!in_payload_) trace_.events.push_back('P');
      in_payload_ = true;
    } else {
      check(decoded.kind == FERRY_DECODE_MESSAGE);
      std::vector<uint8_t> again(bytes.size());
      check(encoder_.encode(decoded.message, again) == bytes.size() &&
            std::equal(again.begin(), again.end(), bytes.begin()));
      trace_.events.push_back('M');
      in_payload_ = false;
    }
    trace_.events.insert(trace_.events.end(), bytes.begin(), bytes.end());
  }

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
  fuzz(ferry::codec_v1::protocol_v1(0), 1 << 20, input);
  fuzz(ferry::codec_v1::protocol_v1(1), 1 << 20, input);
  fuzz(Schema{ferry::codec_test::all_kinds_catalogue, 1, 0}, 48, input);
  fuzz(Schema{ferry::codec_test::all_kinds_catalogue, 1, 1}, 1 << 20, input);
  return 0;
}
