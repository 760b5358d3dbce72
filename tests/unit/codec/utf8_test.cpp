// Strict UTF-8, as the codec requires of STRING fields in both directions.
#include "codec_v1/utf8.hpp"

#include <catch2/catch.hpp>

#include "support.hpp"

using ferry::codec_test::Bytes;
using ferry::codec_test::from_hex;
using ferry::codec_v1::find_invalid_utf8;

TEST_CASE("valid UTF-8 passes", "[codec][utf8]") {
  for (const char* hex : {"", "41 42 43", "c2 80", "df bf", "e0 a0 80", "e2 80 94", "ef bf bf", "f0 90 80 80",
                          "f4 8f bf bf", "41 e2 80 94 42 f0 9f 98 80"})
    CHECK_FALSE(find_invalid_utf8(from_hex(hex)));
}

TEST_CASE("invalid UTF-8 is found at its first bad byte", "[codec][utf8]") {
  const std::pair<const char*, size_t> cases[] = {
      {"80", 0},           // a continuation byte alone
      {"41 c0 80", 1},     // an overlong NUL
      {"c1 bf", 0},        // an overlong 2-byte form
      {"e0 80 80", 1},     // an overlong 3-byte form
      {"ed a0 80", 1},     // a UTF-16 surrogate
      {"f0 80 80 80", 1},  // an overlong 4-byte form
      {"f4 90 80 80", 1},  // above U+10FFFF
      {"f5 80 80 80", 0},  // a lead byte that cannot occur
      {"ff", 0},           // a byte that never occurs in UTF-8
      {"41 42 e2 80", 2},  // cut short
      {"e2 28 a1", 1},     // a second byte that is not a continuation
      {"f0 90 28 80", 2},  // a third byte that is not a continuation
  };
  for (const auto& [hex, offset] : cases) {
    INFO(hex);
    const auto bad = find_invalid_utf8(from_hex(hex));
    REQUIRE(bad);
    CHECK(*bad == offset);
  }
}
