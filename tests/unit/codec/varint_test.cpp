// The varint and zigzag rules of codec 1.x (docs/protocol.md, "Integers").
#include "codec_v1/varint.hpp"

#include <catch2/catch.hpp>
#include <limits>

#include "support.hpp"

using ferry::codec_test::Bytes;
using ferry::codec_test::from_hex;
using namespace ferry::codec_v1;

namespace {

VarintStatus read(const Bytes& bytes, uint64_t& value, size_t& position) {
  position = 0;
  return read_varint(bytes, position, value);
}

}  // namespace

TEST_CASE("varints have one shortest encoding per value", "[codec][varint]") {
  const std::pair<uint64_t, const char*> cases[] = {
      {0, "00"},
      {1, "01"},
      {127, "7f"},
      {128, "80 01"},
      {300, "ac 02"},
      {16383, "ff 7f"},
      {16384, "80 80 01"},
      {uint64_t{1} << 63, "80 80 80 80 80 80 80 80 80 01"},
      {std::numeric_limits<uint64_t>::max(), "ff ff ff ff ff ff ff ff ff 01"},
  };
  for (const auto& [value, hex] : cases) {
    const Bytes expected = from_hex(hex);
    Bytes written(kMaxVarintSize);
    CHECK(varint_size(value) == expected.size());
    written.resize(write_varint(value, written.data()));
    CHECK(written == expected);
    uint64_t decoded = 0;
    size_t position = 0;
    CHECK(read(expected, decoded, position) == VarintStatus::ok);
    CHECK(decoded == value);
    CHECK(position == expected.size());
  }
}

TEST_CASE("a varint cut short asks for more and moves nothing", "[codec][varint]") {
  const Bytes full = from_hex("ff ff ff ff ff ff ff ff ff 01");
  for (size_t length = 0; length < full.size(); ++length) {
    const Bytes cut(full.begin(), full.begin() + static_cast<ptrdiff_t>(length));
    uint64_t value = 42;
    size_t position = 0;
    CHECK(read(cut, value, position) == VarintStatus::need_more);
    CHECK(position == 0);
    CHECK(value == 42);
  }
}

TEST_CASE("malformed varints are named", "[codec][varint]") {
  uint64_t value = 0;
  size_t position = 0;
  CHECK(read(from_hex("80 80 80 80 80 80 80 80 80 80 01"), value, position) == VarintStatus::too_long);
  CHECK(read(from_hex("ff ff ff ff ff ff ff ff ff 02"), value, position) == VarintStatus::overflow);
  CHECK(read(from_hex("ff ff ff ff ff ff ff ff ff 7f"), value, position) == VarintStatus::overflow);
  CHECK(read(from_hex("80 00"), value, position) == VarintStatus::overlong);
  CHECK(read(from_hex("ff 00"), value, position) == VarintStatus::overlong);
  CHECK(read(from_hex("80 80 80 80 80 80 80 80 80 00"), value, position) == VarintStatus::overlong);
}

TEST_CASE("zigzag interleaves negative and positive values", "[codec][varint]") {
  constexpr int64_t min = std::numeric_limits<int64_t>::min();
  constexpr int64_t max = std::numeric_limits<int64_t>::max();
  const std::pair<int64_t, uint64_t> cases[] = {
      {0, 0},
      {-1, 1},
      {1, 2},
      {-2, 3},
      {2, 4},
      {-64, 127},
      {64, 128},
      {max, std::numeric_limits<uint64_t>::max() - 1},
      {min, std::numeric_limits<uint64_t>::max()},
  };
  for (const auto& [value, encoded] : cases) {
    CHECK(zigzag(value) == encoded);
    CHECK(unzigzag(encoded) == value);
  }
}
