#include <catch2/catch.hpp>

#include "handshake/features.hpp"
#include "handshake/settings.hpp"
#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

const std::vector<FeatureName> names = {{"checksum", 0}, {"acks", 1}, {"compression", 2}, {"huge", 64}};

CodecChoice rolling(uint64_t local_mask, uint64_t peer_mask) {
  return {{1, 1}, {1, 0}, Mode::rolling, local_mask, peer_mask};
}

std::string refusal_of(const std::variant<uint64_t, Refuse>& result) {
  REQUIRE(std::holds_alternative<Refuse>(result));
  CHECK(std::get<Refuse>(result).code == RefuseCode::missing_feature);
  return std::get<Refuse>(result).reason;
}

}  // namespace

TEST_CASE("Agreed features are both codecs' masks minus what either side disables", "[handshake][features]") {
  CHECK(std::get<uint64_t>(agree_features(rolling(0b111, 0b011), {}, {}, names)) == 0b011);
  CHECK(std::get<uint64_t>(agree_features(rolling(0b111, 0b111), {{}, {"acks"}}, {}, names)) == 0b101);
  CHECK(std::get<uint64_t>(agree_features(rolling(0b111, 0b111), {}, {{}, {"checksum", "unheard-of"}}, names)) ==
        0b110);
  CHECK(std::get<uint64_t>(agree_features(rolling(0b111, 0b111), {{"checksum"}, {}}, {{"acks"}, {}}, names)) == 0b111);
}

TEST_CASE("Inside TLS data_crc32c is disabled, unless this node requires it", "[handshake][features]") {
  using List = std::vector<std::string>;
  CHECK(over_tls({}).disabled == List{"data_crc32c"});
  CHECK(over_tls({{"skip_held"}, {"xxh3_digest"}}).disabled == List{"xxh3_digest", "data_crc32c"});
  CHECK(over_tls({{}, {"data_crc32c"}}).disabled == List{"data_crc32c"});
  const FeaturePolicy required = over_tls({{"data_crc32c"}, {}});
  CHECK(required.required == List{"data_crc32c"});
  CHECK(required.disabled.empty());
}

TEST_CASE("A missing required feature names itself, the side requiring it and why", "[handshake][features]") {
  CHECK(refusal_of(agree_features(rolling(0b111, 0b011), {{"compression"}, {}}, {}, names)) ==
        "feature \"compression\" required by local: peer codec 1.0 lacks it");
  CHECK(refusal_of(agree_features(rolling(0b011, 0b111), {}, {{"compression"}, {}}, names)) ==
        "feature \"compression\" required by peer: local codec 1.1 lacks it");
  CHECK(refusal_of(agree_features(rolling(0b111, 0b111), {{}, {"acks"}}, {{"acks"}, {}}, names)) ==
        "feature \"acks\" required by peer: local disables it");
  CHECK(refusal_of(agree_features(rolling(0b111, 0b111), {{"acks"}, {}}, {{}, {"acks"}}, names)) ==
        "feature \"acks\" required by local: peer disables it");
  CHECK(refusal_of(agree_features(rolling(0b111, 0b111), {}, {{"zstd"}, {}}, names)) ==
        "feature \"zstd\" required by peer: local does not know it");
  // A name whose bit does not fit the 64-bit mask is as good as unknown.
  CHECK(refusal_of(agree_features(rolling(~0ull, ~0ull), {{"huge"}, {}}, {}, names)) ==
        "feature \"huge\" required by local: local does not know it");
  CHECK(refusal_of(agree_features(rolling(0b001, 0b001), {{"acks"}, {}}, {{"compression"}, {}}, names)) ==
        "feature \"acks\" required by local: local codec 1.1 lacks it; "
        "feature \"compression\" required by peer: local codec 1.1 lacks it");
}

TEST_CASE("A flood of required features gives a bounded sentence", "[handshake][features]") {
  FeaturePolicy peer;
  for (int i = 0; i < 5000; ++i) peer.required.push_back("f" + std::to_string(i));
  const std::string sentence = refusal_of(agree_features(rolling(1, 1), {}, peer, names));
  CHECK_THAT(sentence, Catch::EndsWith("; and 4992 more"));
  CHECK(sentence.size() < 1024);
}

TEST_CASE("Settings are compared by name, each mismatch with both values", "[handshake][settings]") {
  const std::vector<Setting> local = {
      {"connections_per_peer", "4"}, {"paired_connections", "true"}, {"checksum", "crc32c"}};
  const std::vector<Setting> peer = {
      {"checksum", "crc32c"}, {"paired_connections", "false"}, {"connections_per_peer", "1"}, {"from_the_future", "x"}};
  const auto mismatches = compare_settings(local, peer);
  REQUIRE(mismatches.size() == 2);
  CHECK(mismatches[0] == SettingMismatch{"connections_per_peer", "4", "1"});
  CHECK(mismatches[1] == SettingMismatch{"paired_connections", "true", "false"});
  const Refuse refusal = settings_refusal(mismatches);
  CHECK(refusal.code == RefuseCode::settings_mismatch);
  CHECK(refusal.reason == "connections_per_peer: local 4, peer 1; paired_connections: local true, peer false");

  CHECK(compare_settings(local, local).empty());
}

TEST_CASE("A setting the peer did not send, and hostile values, are shown safely", "[handshake][settings]") {
  const std::vector<Setting> local = {{"checksum", "crc32c"}, {"max_message_size", "16777216"}};
  const std::vector<Setting> peer = {{"checksum", "line\nbreak\\" + std::string(100, 'x')}};
  CHECK(settings_refusal(compare_settings(local, peer)).reason ==
        "checksum: local crc32c, peer line\\x0abreak\\x5c" + std::string(49, 'x') +
            "...; max_message_size: local 16777216, peer (not sent)");
  CHECK(settings_refusal(compare_settings(local, std::vector<Setting>{{"checksum", ""}})).reason ==
        "checksum: local crc32c, peer \"\"; max_message_size: local 16777216, peer (not sent)");
}
