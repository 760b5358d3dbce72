#include "codec_v1/utf8.hpp"

namespace ferry::codec_v1 {
namespace {

// The length of the sequence a lead byte starts, and the range its second byte must fall in (the range
// is what excludes overlong forms, surrogates and code points above U+10FFFF); 0 for an invalid lead.
struct Lead {
  size_t length;
  uint8_t second_min, second_max;
};

Lead classify(uint8_t byte) {
  if (byte < 0x80) return {1, 0, 0};
  if (byte >= 0xc2 && byte <= 0xdf) return {2, 0x80, 0xbf};
  if (byte == 0xe0) return {3, 0xa0, 0xbf};
  if (byte == 0xed) return {3, 0x80, 0x9f};
  if (byte >= 0xe1 && byte <= 0xef) return {3, 0x80, 0xbf};
  if (byte == 0xf0) return {4, 0x90, 0xbf};
  if (byte >= 0xf1 && byte <= 0xf3) return {4, 0x80, 0xbf};
  if (byte == 0xf4) return {4, 0x80, 0x8f};
  return {0, 0, 0};
}

}  // namespace

std::optional<size_t> find_invalid_utf8(std::span<const uint8_t> text) {
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] < 0x80) {  // ASCII runs are the common case
      ++i;
      continue;
    }
    const Lead lead = classify(text[i]);
    if (lead.length == 0) return i;
    if (i + lead.length > text.size()) return i;
    if (text[i + 1] < lead.second_min || text[i + 1] > lead.second_max) return i + 1;
    for (size_t k = 2; k < lead.length; ++k)
      if ((text[i + k] & 0xc0) != 0x80) return i + k;
    i += lead.length;
  }
  return std::nullopt;
}

}  // namespace ferry::codec_v1
