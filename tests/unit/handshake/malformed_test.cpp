// Every way a frame body can be wrong yields an error that names the frame, the tag and the problem.
#include <catch2/catch.hpp>

#include "handshake/big_endian.hpp"
#include "handshake/frame_codec.hpp"
#include "handshake/record_writer.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

struct Rec {
  uint16_t tag;
  Bytes value;
};

// The records of an encoded frame, so that a test can drop, repeat or replace one.
std::vector<Rec> records_of(const Bytes& frame) {
  std::vector<Rec> records;
  for (size_t at = header_size; at < frame.size();) {
    const auto tag = static_cast<uint16_t>(get_be(std::span(frame).subspan(at, 2)));
    const size_t length = get_be(std::span(frame).subspan(at + 2, 4));
    records.push_back({tag, Bytes(frame.begin() + static_cast<std::ptrdiff_t>(at + 6),
                                  frame.begin() + static_cast<std::ptrdiff_t>(at + 6 + length))});
    at += 6 + length;
  }
  return records;
}

Bytes body_of(const std::vector<Rec>& records) {
  RecordWriter out;
  for (const Rec& record : records) out.bytes(record.tag, record.value);
  return out.body();
}

Bytes& value_of(std::vector<Rec>& records, uint16_t tag) {
  for (Rec& record : records)
    if (record.tag == tag) return record.value;
  static Bytes none;
  FAIL("no record with tag " << tag);
  return none;
}

Bytes text(std::string_view value) { return {value.begin(), value.end()}; }

template <typename T>
std::string error_of(const Result<T>& result) {
  REQUIRE_FALSE(result.ok());
  return result.error().reason;
}

}  // namespace

TEST_CASE("Missing, repeated and wrongly sized records are named", "[handshake][malformed]") {
  auto records = records_of(encode(golden_identify()));

  SECTION("missing") {
    std::erase_if(records, [](const Rec& r) { return r.tag == tag::node_name; });
    CHECK(error_of(decode_identify(body_of(records))) == "malformed IDENTIFY: missing tag 0x0002 (node_name)");
  }
  SECTION("repeated") {
    records.push_back({tag::cluster, text("other")});
    CHECK(error_of(decode_identify(body_of(records))) ==
          "malformed IDENTIFY: tag 0x0003 (cluster) appears 2 times; expected once");
  }
  SECTION("an integer of 4 bytes") {
    value_of(records, tag::incarnation).resize(4);
    CHECK(error_of(decode_identify(body_of(records))) ==
          "malformed IDENTIFY: tag 0x0004 (incarnation) has 4 bytes; expected 8");
  }
  SECTION("a node id of 15 bytes") {
    value_of(records, tag::node_id).pop_back();
    CHECK(error_of(decode_identify(body_of(records))) ==
          "malformed IDENTIFY: tag 0x0001 (node_id) has 15 bytes; expected 16");
  }
  SECTION("a nonce of 33 bytes") {
    value_of(records, tag::nonce).push_back(0);
    CHECK(error_of(decode_identify(body_of(records))) ==
          "malformed IDENTIFY: tag 0x0005 (nonce) has 33 bytes; expected 32");
  }
  SECTION("incarnation 0") {
    value_of(records, tag::incarnation) = Bytes(8, 0);
    CHECK(error_of(decode_identify(body_of(records))) ==
          "malformed IDENTIFY: tag 0x0004 (incarnation) is 0, which no node has");
  }
  SECTION("a setting named twice") {
    RecordWriter again;
    again.string(tag::setting_name, "checksum").string(tag::setting_value, "none");
    records.push_back({tag::setting, again.body()});
    CHECK(error_of(decode_identify(body_of(records))) ==
          "malformed IDENTIFY: tag 0x0006 (setting) #3: setting \"checksum\" appears twice");
  }
}

TEST_CASE("Strings must be valid UTF-8", "[handshake][malformed]") {
  auto records = records_of(encode(golden_identify()));
  SECTION("a stray byte") {
    value_of(records, tag::node_name) = text("al\xffha");
    CHECK(error_of(decode_identify(body_of(records))) ==
          "malformed IDENTIFY: tag 0x0002 (node_name) is not valid UTF-8 (byte 0xff at offset 2)");
  }
  SECTION("an overlong form") {
    value_of(records, tag::cluster) = text("\xc0\xaf");
    CHECK(error_of(decode_identify(body_of(records))) ==
          "malformed IDENTIFY: tag 0x0003 (cluster) is not valid UTF-8 (byte 0xc0 at offset 0)");
  }
  SECTION("a surrogate inside a nested setting") {
    RecordWriter setting;
    setting.string(tag::setting_name, "x").string(tag::setting_value, "ok\xed\xa0\x80");
    records.push_back({tag::setting, setting.body()});
    CHECK(error_of(decode_identify(body_of(records))) ==
          "malformed IDENTIFY: tag 0x0006 (setting) #3: tag 0x0029 (setting_value) is not valid UTF-8 (byte 0xed at "
          "offset 2)");
  }
  SECTION("a truncated sequence in a repeated string") {
    auto request = records_of(encode(golden_request()));
    request.push_back({tag::disabled_feature, text("z\xe2\x82")});
    CHECK(error_of(decode_request(body_of(request))) ==
          "malformed REQUEST: tag 0x000c (disabled_feature) is not valid UTF-8 (byte 0xe2 at offset 1)");
  }
  SECTION("a refusal reason") {
    RecordWriter refuse;
    refuse.u64(tag::refuse_code, 1).string(tag::refuse_reason, "bad \xf5 byte");
    CHECK(error_of(decode_refuse(refuse.body())) ==
          "malformed REFUSE: tag 0x0012 (refuse_reason) is not valid UTF-8 (byte 0xf5 at offset 4)");
  }
}

TEST_CASE("Record layout errors name the offset", "[handshake][malformed]") {
  const Bytes frame = encode(golden_refuse());
  const Bytes body(frame.begin() + header_size, frame.end());
  CHECK(error_of(decode_refuse(std::span(body).first(23))) ==
        "malformed REFUSE: tag 0x0012 (refuse_reason) at offset 14 declares 37 bytes but only 3 follow");
  CHECK(error_of(decode_refuse(std::span(body).first(16))) ==
        "malformed REFUSE: 2 bytes at offset 14 are too few for a record header (6 bytes)");
  CHECK(error_of(decode_refuse(std::span(body).first(12))) ==
        "malformed REFUSE: tag 0x0011 (refuse_code) at offset 0 declares 8 bytes but only 6 follow");
  const Bytes zero_tag = {0, 0, 0, 0, 0, 0};
  CHECK(error_of(decode_refuse(zero_tag)) == "malformed REFUSE: tag 0x0000 at offset 0 is invalid");
  CHECK(error_of(decode_refuse({})) == "malformed REFUSE: missing tag 0x0011 (refuse_code)");
}

TEST_CASE("Every truncation of a valid body fails or decodes to something else", "[handshake][malformed]") {
  const Bytes frame = encode(golden_request());
  const Bytes body(frame.begin() + header_size, frame.end());
  for (size_t size = 0; size < body.size(); ++size) {
    auto decoded = decode_request(std::span(body).first(size));
    if (decoded.ok())
      CHECK_FALSE(decoded.value() == golden_request());
    else
      CHECK_THAT(decoded.error().reason, Catch::StartsWith("malformed REQUEST: "));
  }
}

TEST_CASE("Values out of their range are named", "[handshake][malformed]") {
  SECTION("a codec major above 65535") {
    auto records = records_of(encode(golden_request()));
    RecordWriter offer;
    offer.u64(tag::major, 70000).u64(tag::minor, 0).u64(tag::features, 0);
    records.push_back({tag::codec_offer, offer.body()});
    CHECK(error_of(decode_request(body_of(records))) ==
          "malformed REQUEST: tag 0x000a (codec_offer) #3: tag 0x0020 (major) is 70000; at most 65535 is valid");
  }
  SECTION("an offer made twice") {
    auto records = records_of(encode(golden_request()));
    RecordWriter offer;
    offer.u64(tag::major, 1).u64(tag::minor, 0).u64(tag::features, 7);
    records.push_back({tag::codec_offer, offer.body()});
    CHECK(error_of(decode_request(body_of(records))) ==
          "malformed REQUEST: tag 0x000a (codec_offer) #3: codec 1.0 is offered twice");
  }
  SECTION("an unknown mode") {
    auto records = records_of(encode(golden_accept()));
    value_of(records, tag::mode) = {0, 0, 0, 0, 0, 0, 0, 3};
    CHECK(error_of(decode_accept(body_of(records))) ==
          "malformed ACCEPT: tag 0x000f (mode) is 3; expected 1 (stable) or 2 (rolling)");
  }
  SECTION("a codec record without its minor") {
    auto records = records_of(encode(golden_accept()));
    RecordWriter version;
    version.u64(tag::major, 1);
    value_of(records, tag::initiator_codec) = version.body();
    CHECK(error_of(decode_accept(body_of(records))) ==
          "malformed ACCEPT: tag 0x000e (initiator_codec): missing tag 0x0021 (minor)");
  }
  SECTION("a nested record that is not records") {
    auto records = records_of(encode(golden_accept()));
    value_of(records, tag::responder_codec) = {0x00, 0x20, 0xff};
    CHECK(error_of(decode_accept(body_of(records))) ==
          "malformed ACCEPT: tag 0x000d (responder_codec): 3 bytes at offset 0 are too few for a record header (6 "
          "bytes)");
  }
  SECTION("refusal code 0") {
    RecordWriter refuse;
    refuse.u64(tag::refuse_code, 0).string(tag::refuse_reason, "");
    CHECK(error_of(decode_refuse(refuse.body())) ==
          "malformed REFUSE: tag 0x0011 (refuse_code) is 0, which is no refusal code");
  }
}
