// What the codec fuzz targets share: a decoder fed the way the host feeds a socket, in pieces through a
// buffer that keeps the bytes not yet consumed, and the comparison of a run over the whole input with a
// run over chunks of it. A failed check aborts, which the fuzzer reports as a crash with its input.
#pragma once

#include <ferry/codec.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

namespace ferry::codec_fuzz {

inline void check(bool condition) {
  if (!condition) std::abort();
}

// What a decode produced, with payload pieces merged so that chunking cannot change it.
struct Trace {
  std::vector<uint8_t> events;  // 'M' + the message's bytes (or re-encoding), 'P' + payload bytes (pieces joined)
  bool failed = false;
  // Bytes of an incomplete header at the end, for a decoder that consumes nothing until it has a whole
  // header (stable mode); zero for one that may consume part of a frame.
  size_t left_over = 0;

  bool operator==(const Trace&) const = default;
};

// Feeds input in pieces of chunk bytes (0: all at once) through a buffer that keeps unconsumed bytes,
// calling drain(buffer) before the first piece and after each; drain returns false after a protocol
// error, which ends the feed. Returns how many bytes the buffer holds at the end, nothing after an error.
template <class Drain>
std::optional<size_t> feed_in_chunks(std::span<const uint8_t> input, size_t chunk, Drain&& drain) {
  std::vector<uint8_t> buffer;
  size_t fed = 0;
  for (;;) {
    if (!drain(buffer)) return std::nullopt;
    if (fed == input.size()) break;
    const size_t piece = chunk == 0 ? input.size() - fed : std::min(chunk, input.size() - fed);
    buffer.insert(buffer.end(), input.begin() + fed, input.begin() + fed + piece);
    fed += piece;
  }
  return buffer.size();
}

// One decode of buffer. A protocol error must come with a sentence; it marks trace failed and gives nothing.
template <class Decoder>
std::optional<sdk::Decoded> decode_once(Decoder& decoder, const std::vector<uint8_t>& buffer,
                                        std::span<ferry_type_field> fields, Trace& trace) {
  sdk::Decoded decoded;
  try {
    decoded = decoder.decode(buffer, fields);
  } catch (const sdk::Error& e) {
    check(e.code() == FERRY_ERR_PROTOCOL && e.what()[0] != '\0');
    trace.failed = true;
    return std::nullopt;
  }
  check(decoded.fields_needed == 0 && decoded.consumed <= buffer.size());
  return decoded;
}

// Decodes input whole and again in chunks of 1..16 bytes, chosen by the input itself so that a crash
// reproduces from the file alone, and checks that both runs saw the same. Run(schema, limit).feed(input,
// chunk) decodes one way and returns its Trace.
template <class Run, class Schema>
void fuzz(const Schema& schema, uint64_t limit, std::span<const uint8_t> input) {
  const Trace whole = Run(schema, limit).feed(input, 0);
  if (!input.empty()) check(Run(schema, limit).feed(input, 1 + input[input.size() - 1] % 16) == whole);
}

}  // namespace ferry::codec_fuzz
