// Negotiation from the codec plugins actually loaded: the offers come from the shipped .so files, the
// choice from handshake/codec_choice, and the chosen codecs then talk to each other in the chosen mode.
#include <ferry/protocol_v1.h>

#include <catch2/catch.hpp>

#include "handshake/codec_choice.hpp"
#include "handshake/text.hpp"
#include "node/codec_set.hpp"
#include "protocol/messages_v1.hpp"
#include "support.hpp"

using namespace ferry::codec_test;
using ferry::handshake::CodecChoice;
using ferry::handshake::Mode;
using ferry::handshake::Refuse;
using ferry::handshake::Version;
using ferry::node::CodecSet;

namespace {

const ferry::plugin::Catalog& catalog() {
  static const auto scanned =
      ferry::plugin::Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, ferry::plugin::FilePolicy{false, 0});
  return scanned;
}

CodecSet loaded(std::vector<std::string> names) {
  auto set = ferry::node::load_codecs(catalog(), names, nullptr);
  if (auto* failure = std::get_if<std::string>(&set)) FAIL(*failure);
  return std::get<CodecSet>(std::move(set));
}

std::shared_ptr<ferry::plugin::CodecInstance> instance_of(const CodecSet& set, Version version) {
  for (const auto& instance : set.instances)
    if (instance->version().major == version.major && instance->version().minor == version.minor) return instance;
  FAIL("no loaded codec " << ferry::handshake::to_string(version));
  return nullptr;
}

// Opens the codec each side speaks in the chosen mode and sends every known message both ways.
void talk(const CodecSet& local, const CodecSet& peer, const CodecChoice& choice) {
  const auto mode = static_cast<ferry::plugin::CodecMode>(choice.mode);
  auto local_stream = open_mode(*instance_of(local, choice.local), mode);
  auto peer_stream = open_mode(*instance_of(peer, choice.peer), mode);
  // The fields both sides have: those of the older minor in major 1; major 2 has every field of 1.1.
  const uint16_t older = choice.local.major == 2 ? 1 : std::min(choice.local.minor, choice.peer.minor);
  for (const KnownMessage& known : known_messages_in(older)) {
    INFO(known.name);
    const DecodeRun there = decode_all(*peer_stream, encode_known(*local_stream, known));
    REQUIRE(there.messages.size() == 1);
    CHECK(there.messages[0] == own_in(known.message, older));
    CHECK(there.payload == known.payload);
    const DecodeRun back = decode_all(*local_stream, encode_known(*peer_stream, known));
    REQUIRE(back.messages.size() == 1);
    CHECK(back.messages[0] == own_in(known.message, older));
    CHECK(back.payload == known.payload);
  }
}

}  // namespace

// What codec-1.1 declares; codec-2.0 adds chunk_xxh3.
constexpr uint64_t kMajor1Features = uint64_t{1} << FERRY_V1_FEATURE_DATA_CRC32C |
                                     uint64_t{1} << FERRY_V1_FEATURE_SKIP_HELD |
                                     uint64_t{1} << FERRY_V1_FEATURE_XXH3_DIGEST;
constexpr uint64_t kCodec20Features = kMajor1Features | uint64_t{1} << FERRY_V1_FEATURE_CHUNK_XXH3;

TEST_CASE("the loaded codecs offer their versions, masks and feature names", "[codec][negotiation]") {
  const CodecSet set = loaded({"codec-1.0", "codec-1.1", "codec-2.0"});
  REQUIRE(set.offers.size() == 3);
  CHECK(set.offers[0].version == Version{1, 0});
  CHECK(set.offers[0].features == 0);
  CHECK(set.offers[1].version == Version{1, 1});
  CHECK(set.offers[1].features == kMajor1Features);
  CHECK(set.offers[2].version == Version{2, 0});
  CHECK(set.offers[2].features == kCodec20Features);
  REQUIRE(set.feature_names.size() == 4);  // the first three declared by 1.1 and 2.0 alike, each known once
  CHECK(set.feature_names[0].name == "data_crc32c");
  CHECK(set.feature_names[0].bit == FERRY_V1_FEATURE_DATA_CRC32C);
  CHECK(set.feature_names[1].name == "skip_held");
  CHECK(set.feature_names[1].bit == FERRY_V1_FEATURE_SKIP_HELD);
  CHECK(set.feature_names[2].name == "xxh3_digest");
  CHECK(set.feature_names[2].bit == FERRY_V1_FEATURE_XXH3_DIGEST);
  CHECK(set.feature_names[3].name == "chunk_xxh3");
  CHECK(set.feature_names[3].bit == FERRY_V1_FEATURE_CHUNK_XXH3);
}

TEST_CASE("codecs that give one feature two names or bits are refused", "[codec][negotiation]") {
  std::vector<ferry::handshake::FeatureName> names{{"data_crc32c", 0}};
  const ferry_type_feature same[] = {{"data_crc32c", 0, 0, ""}, {"compression", 1, 0, ""}};
  CHECK_FALSE(ferry::node::merge_feature_names(names, same, "codec-1.2"));
  CHECK(names.size() == 2);
  const ferry_type_feature moved[] = {{"data_crc32c", 5, 0, ""}};
  CHECK(ferry::node::merge_feature_names(names, moved, "codec-9.0") ==
        "codec 'codec-9.0' declares feature 'data_crc32c' as bit 5, but another loaded codec declares "
        "'data_crc32c' as bit 0; a feature has one name and one bit in every codec");
  const ferry_type_feature renamed[] = {{"checksums", 1, 0, ""}};
  CHECK(ferry::node::merge_feature_names(names, renamed, "codec-9.0") ==
        "codec 'codec-9.0' declares feature 'checksums' as bit 1, but another loaded codec declares "
        "'compression' as bit 1; a feature has one name and one bit in every codec");
}

TEST_CASE("a codec that is not loaded is named", "[codec][negotiation]") {
  const std::vector<std::string> names{"codec-9.9"};
  auto set = ferry::node::load_codecs(catalog(), names, nullptr);
  REQUIRE(std::holds_alternative<std::string>(set));
  CHECK(std::get<std::string>(set) == "codec 'codec-9.9' is not loaded");
}

TEST_CASE("the highest common version is spoken in stable mode", "[codec][negotiation]") {
  const CodecSet both = loaded({"codec-1.0", "codec-1.1"});
  SECTION("both offer 1.0 and 1.1: 1.1") {
    const auto choice = std::get<CodecChoice>(ferry::handshake::choose_codec(both.offers, both.offers, {}));
    CHECK(choice.mode == Mode::stable);
    CHECK(choice.local == Version{1, 1});
    CHECK(choice.peer == Version{1, 1});
    talk(both, both, choice);
  }
  SECTION("both offer every version: 2.0") {
    const CodecSet all = loaded({"codec-1.0", "codec-1.1", "codec-2.0"});
    const auto choice = std::get<CodecChoice>(ferry::handshake::choose_codec(all.offers, all.offers, {}));
    CHECK(choice.mode == Mode::stable);
    CHECK(choice.local == Version{2, 0});
    talk(all, all, choice);
  }
  SECTION("the peer has only 1.0: 1.0") {
    const CodecSet old = loaded({"codec-1.0"});
    const auto choice = std::get<CodecChoice>(ferry::handshake::choose_codec(both.offers, old.offers, {}));
    CHECK(choice.mode == Mode::stable);
    CHECK(choice.local == Version{1, 0});
    talk(both, old, choice);
  }
}

TEST_CASE("no common version but a common major: each its own minor, in rolling mode", "[codec][negotiation]") {
  const CodecSet old = loaded({"codec-1.0"});
  const CodecSet upgraded = loaded({"codec-1.1"});
  const auto choice = std::get<CodecChoice>(ferry::handshake::choose_codec(upgraded.offers, old.offers, {}));
  CHECK(choice.mode == Mode::rolling);
  CHECK(choice.local == Version{1, 1});
  CHECK(choice.peer == Version{1, 0});
  CHECK(choice.local_features == kMajor1Features);
  CHECK(choice.peer_features == 0);
  talk(upgraded, old, choice);
}

TEST_CASE("no common major is refused, naming both sides' versions", "[codec][negotiation]") {
  const CodecSet local = loaded({"codec-1.0", "codec-1.1"});
  const CodecSet peer = loaded({"codec-2.0"});
  const auto refusal = std::get<Refuse>(ferry::handshake::choose_codec(local.offers, peer.offers, {}));
  CHECK(refusal.code == ferry::handshake::RefuseCode::no_common_codec);
  CHECK(refusal.reason == "no common codec major: local offers 1.0, 1.1; peer offers 2.0");
}
