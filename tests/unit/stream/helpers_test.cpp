// The pieces under the session: CRC32C, SHA-256 and XXH3-128 over holes, the relative-path check and the two lists
// carried inside fields.
#include <catch2/catch.hpp>

#include <algorithm>
#include <span>
#include <vector>

#include "loopback.hpp"

#include "stream/crc32c.hpp"
#include "stream/file_digest.hpp"
#include "stream/relative_path.hpp"
#include "stream/sha256.hpp"
#include "stream/wire_lists.hpp"
#include "stream/xxh3_128.hpp"

using namespace ferry::stream;
using ferry::stream_test::bytes_of;

TEST_CASE("CRC32C has the Castagnoli check value and extends piece by piece", "[stream][helpers]") {
  CHECK(crc32c(bytes_of("123456789")) == 0xe3069283u);
  CHECK(crc32c(bytes_of("hello, ferry")) == 0xf3e102b0u);
  CHECK(crc32c({}) == 0);
  const std::string long_text(1000, 'z');
  uint32_t crc = 0;
  for (size_t at = 0; at < long_text.size(); at += 7)
    crc = crc32c_extend(crc, bytes_of(std::string_view(long_text).substr(at, 7)));
  CHECK(crc == crc32c(bytes_of(long_text)));
}

namespace {

// Bit by bit, as the polynomial's definition says: the reference for the fast paths.
uint32_t crc32c_bitwise(std::span<const uint8_t> data) {
  uint32_t state = ~0u;
  for (uint8_t byte : data) {
    state ^= byte;
    for (int bit = 0; bit < 8; ++bit) state = (state >> 1) ^ ((state & 1) ? 0x82f63b78u : 0);
  }
  return ~state;
}

}  // namespace

TEST_CASE("CRC32C of large buffers at any length and alignment equals the bitwise definition", "[stream][helpers]") {
  std::vector<uint8_t> data(100000);
  uint32_t seed = 12345;
  for (uint8_t& byte : data) byte = static_cast<uint8_t>((seed = seed * 1103515245 + 12345) >> 16);
  for (size_t offset : {0, 1, 3, 7}) {
    for (size_t length : {0, 5, 8, 4095, 12287, 12288, 12289, 24576 + 13, 65536, 99990}) {
      INFO("offset " << offset << ", length " << length);
      const std::span<const uint8_t> piece(data.data() + offset, length);
      CHECK(crc32c(piece) == crc32c_bitwise(piece));
    }
  }
  CHECK(crc32c_extend(crc32c(std::span(data).first(30000)), std::span(data).subspan(30000)) == crc32c(data));
}

// From 256 bytes on, a CPU with AVX-512 and VPCLMULQDQ folds 256, then 64 bytes at a time, then finishes
// with the crc32 instruction: every length around those steps, from a CRC carried in from earlier bytes.
TEST_CASE("CRC32C by carry-less multiplication equals the bitwise definition at every length", "[stream][helpers]") {
  std::vector<uint8_t> data(1500);
  uint32_t seed = 777;
  for (uint8_t& byte : data) byte = static_cast<uint8_t>((seed = seed * 1103515245 + 12345) >> 16);
  for (size_t offset : {5, 6}) {
    for (size_t length = 0; offset + length <= data.size(); ++length) {
      INFO("offset " << offset << ", length " << length);
      const uint32_t expected = crc32c_bitwise(std::span(data).first(offset + length));
      const std::span<const uint8_t> piece(data.data() + offset, length);
      const uint32_t carried = crc32c_bitwise(std::span(data).first(offset));
      REQUIRE(crc32c_extend(carried, piece) == expected);
      std::vector<uint8_t> out(length);
      REQUIRE(crc32c_extend_copy(carried, piece, out.data()) == expected);
      REQUIRE(std::equal(piece.begin(), piece.end(), out.begin()));
    }
  }
}

TEST_CASE("CRC32C while copying gives the same value and an exact copy, at any length and alignment",
          "[stream][helpers]") {
  std::vector<uint8_t> data(100000);
  uint32_t seed = 54321;
  for (uint8_t& byte : data) byte = static_cast<uint8_t>((seed = seed * 1103515245 + 12345) >> 16);
  for (size_t offset : {0, 1, 5}) {
    for (size_t length : {0, 3, 8, 4095, 12288, 12289, 24576 + 13, 99990}) {
      INFO("offset " << offset << ", length " << length);
      const std::span<const uint8_t> piece(data.data() + offset, length);
      // Guard bytes either side of the copy must stay as they were.
      std::vector<uint8_t> out(length + 2 + offset, 0xa5);
      CHECK(crc32c_extend_copy(0, piece, out.data() + 1 + offset) == crc32c_bitwise(piece));
      CHECK(std::equal(piece.begin(), piece.end(), out.begin() + 1 + static_cast<ptrdiff_t>(offset)));
      CHECK(out[offset] == 0xa5);
      CHECK(out.back() == 0xa5);
    }
  }
  // Extended over pieces, as a chunk's payload arrives.
  std::vector<uint8_t> out(data.size());
  uint32_t crc = 0;
  for (size_t at = 0; at < data.size(); at += 7000) {
    const size_t length = std::min<size_t>(7000, data.size() - at);
    crc = crc32c_extend_copy(crc, std::span(data).subspan(at, length), out.data() + at);
  }
  CHECK(crc == crc32c(data));
  CHECK(out == data);
}

TEST_CASE("SHA-256 of holes equals that of the zeros they stand for", "[stream][helpers]") {
  Sha256 empty;
  Digest digest = empty.finish();
  CHECK(digest.size() == 32);
  CHECK(digest[0] == 0xe3);  // e3b0c442... the SHA-256 of nothing
  CHECK(digest[31] == 0x55);
  Sha256 with_hole;
  with_hole.update(bytes_of("a"));
  with_hole.update_zeros(100000);
  Sha256 with_zeros;
  with_zeros.update(bytes_of("a"));
  with_zeros.update(std::vector<uint8_t>(100000));
  CHECK(with_hole.finish() == with_zeros.finish());
}

namespace {

std::string hex_of(const Digest& digest) {
  static const char* digits = "0123456789abcdef";
  std::string text;
  for (uint8_t byte : digest) text += {digits[byte >> 4], digits[byte & 15]};
  return text;
}

}  // namespace

TEST_CASE("XXH3-128 gives xxHash's canonical digests, holes included", "[stream][helpers]") {
  // The values `xxhsum -H2` prints for the same input.
  Xxh3_128 hash;
  CHECK(hex_of(hash.finish()) == "99aa06d3014798d86001c324468d497f");
  hash.update(bytes_of("hello, "));
  hash.update(bytes_of("ferry"));
  CHECK(hex_of(hash.finish()) == "1508a3f13c5ab325b4b5dfc814dd2c6c");
  hash.update_zeros(100000);
  CHECK(hex_of(hash.finish()) == "e1f876364c6fec62315c72a64b7df4d2");
}

TEST_CASE("XXH3-128 of a long input fed in uneven pieces is xxHash's, on whichever vector unit runs it",
          "[stream][helpers]") {
  // The input: byte i is bits 13..20 of i * 2654435761. Its digest is the one `xxhsum -H2` prints.
  std::vector<uint8_t> input((1u << 20) + 12345);
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<uint8_t>((i * 2654435761ull) >> 13);
  Xxh3_128 hash;
  const std::span<const uint8_t> all(input);
  size_t fed = 0;
  for (size_t piece = 1; fed < all.size(); piece = piece * 3 + 1) {
    const size_t length = std::min(piece, all.size() - fed);
    hash.update(all.subspan(fed, length));
    fed += length;
  }
  CHECK(hex_of(hash.finish()) == "0632dc58185915b02176090b192d4f4a");
}

TEST_CASE("a file digest is SHA-256 or XXH3-128, named and sized by its algorithm", "[stream][helpers]") {
  FileDigest sha(DigestAlgorithm::sha256);
  FileDigest xxh(DigestAlgorithm::xxh3_128);
  sha.update(bytes_of("hello, ferry"));
  xxh.update(bytes_of("hello, ferry"));
  Sha256 reference;
  reference.update(bytes_of("hello, ferry"));
  CHECK(sha.finish() == reference.finish());
  CHECK(hex_of(xxh.finish()) == "1508a3f13c5ab325b4b5dfc814dd2c6c");
  CHECK(digest_size(DigestAlgorithm::sha256) == 32);
  CHECK(digest_size(DigestAlgorithm::xxh3_128) == 16);
  CHECK(std::string(digest_name(DigestAlgorithm::xxh3_128)) == "XXH3-128");
}

TEST_CASE("a digest of chunks is XXH3-128 over each chunk's offset, length and hash; holes add nothing",
          "[stream][helpers]") {
  const Digest first = chunk_hash(bytes_of("hello, ferry"));
  CHECK(hex_of(first) == "1508a3f13c5ab325b4b5dfc814dd2c6c");  // the chunk's own XXH3-128
  CHECK(chunk_check(first) == 0x1508a3f1);
  const Digest second = chunk_hash(bytes_of("tail"));

  FileDigest chunks(DigestAlgorithm::xxh3_128_of_chunks);
  CHECK(chunks.of_chunks());
  chunks.add_chunk(0, 12, first);
  chunks.update_zeros(100);
  chunks.add_chunk(112, 4, second);

  // The records as the protocol spells them: offset and length as big-endian u64, then the hash.
  std::vector<uint8_t> records(64, 0);
  records[15] = 12;
  std::copy(first.begin(), first.end(), records.begin() + 16);
  records[39] = 112;
  records[47] = 4;
  std::copy(second.begin(), second.end(), records.begin() + 48);
  Xxh3_128 reference;
  reference.update(records);
  CHECK(chunks.finish() == reference.finish());
  CHECK(digest_size(DigestAlgorithm::xxh3_128_of_chunks) == 16);
  CHECK(std::string(digest_name(DigestAlgorithm::xxh3_128_of_chunks)) == "XXH3-128 of chunks");
}

TEST_CASE("paths for a sink are relative and stay below its root", "[stream][helpers]") {
  CHECK(check_relative_path("a").empty());
  CHECK(check_relative_path("dir/sub/file.txt").empty());
  CHECK(check_relative_path("..a/b..").empty());
  CHECK(check_relative_path("") == "an empty path");
  CHECK(check_relative_path("/etc/passwd") == "path '/etc/passwd' is absolute");
  CHECK(check_relative_path("a/../../b") == "path 'a/../../b' has a '..' component");
  CHECK(check_relative_path("..") == "path '..' has a '..' component");
  CHECK(check_relative_path("./a") == "path './a' has a '.' component");
  CHECK(check_relative_path("a//b") == "path 'a//b' has an empty component");
  CHECK(check_relative_path("a/") == "path 'a/' has an empty component");
  CHECK(check_relative_path(std::string_view("a\0b", 3)) == std::string("path 'a\0b' contains a 00 byte", 29));
}

TEST_CASE("requested paths travel each ended by a 00 byte", "[stream][helpers]") {
  const std::vector<std::string> paths{"logs/", "db/main.sqlite"};
  const std::string field = encode_requests(paths);
  CHECK(field == std::string("logs/\0db/main.sqlite\0", 21));
  CHECK(std::get<std::vector<std::string>>(decode_requests(field)) == paths);
  CHECK(std::get<std::vector<std::string>>(decode_requests("")).empty());
  CHECK(std::get<std::string>(decode_requests("a")) == "the last requested path is not ended by a 00 byte");
  CHECK(std::get<std::string>(decode_requests(std::string("a\0\0", 3))) == "requested path 1 is empty");
}

TEST_CASE("byte ranges travel as varint pairs and are checked against the file", "[stream][helpers]") {
  const std::vector<ByteRange> ranges{{0, 300}, {1 << 20, 5}};
  const std::vector<uint8_t> field = encode_ranges(ranges);
  CHECK(field == std::vector<uint8_t>{0x00, 0xac, 0x02, 0x80, 0x80, 0x40, 0x05});
  CHECK(std::get<std::vector<ByteRange>>(decode_ranges(field)) == ranges);
  CHECK(std::get<std::string>(decode_ranges(std::vector<uint8_t>{0x05})) ==
        "the ranges field ends inside a varint (range 0)");
  CHECK(std::get<std::string>(decode_ranges(std::vector<uint8_t>{0x05, 0x80, 0x00})) ==
        "the ranges field has an overlong varint (range 0)");
  CHECK(check_ranges(ranges, (1 << 20) + 5).empty());
  CHECK(check_ranges({{0, 0}}, 1) == "range 0 (offset 0, length 0) is empty");
  CHECK(check_ranges({{4, 2}, {5, 1}}, 10) == "range 1 (offset 5, length 1) starts before the end of the range before it");
  CHECK(check_ranges({{9, 2}}, 10) == "range 0 (offset 9, length 2) ends beyond the file's 10 bytes");
  CHECK(check_ranges({{1, UINT64_MAX}}, 10) == "range 0 (offset 1, length 18446744073709551615) ends beyond the file's 10 bytes");
  CHECK(effective_ranges({}, 0).empty());
  CHECK(effective_ranges({}, 7) == std::vector<ByteRange>{{0, 7}});
}
