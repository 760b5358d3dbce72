#include "handshake/codec_choice.hpp"

#include <catch2/catch.hpp>
#include <map>

#include "support.hpp"

using namespace ferry::handshake;
using namespace ferry::handshake::testing;

namespace {

std::vector<CodecOffer> offers(std::initializer_list<Version> versions) {
  std::vector<CodecOffer> out;
  for (Version version : versions) out.push_back({version, uint64_t{1} << version.minor});
  return out;
}

const std::map<std::string, std::vector<CodecOffer>>& offer_sets() {
  static const std::map<std::string, std::vector<CodecOffer>> sets = {
      {"{1.0}", offers({{1, 0}})},
      {"{1.1}", offers({{1, 1}})},
      {"{1.0,1.1}", offers({{1, 0}, {1, 1}})},
      {"{2.0}", offers({{2, 0}})},
      {"{1.0,1.1,2.0}", offers({{1, 0}, {1, 1}, {2, 0}})},
  };
  return sets;
}

// What each pair must give: "stable 1.1", "rolling 1.0/1.1" (local/peer) or "refused".
std::string expected(const std::string& local, const std::string& peer) {
  static const std::map<std::pair<std::string, std::string>, std::string> table = {
      {{"{1.0}", "{1.0}"}, "stable 1.0"},
      {{"{1.0}", "{1.1}"}, "rolling 1.0/1.1"},
      {{"{1.0}", "{1.0,1.1}"}, "stable 1.0"},
      {{"{1.0}", "{2.0}"}, "refused"},
      {{"{1.0}", "{1.0,1.1,2.0}"}, "stable 1.0"},
      {{"{1.1}", "{1.0}"}, "rolling 1.1/1.0"},
      {{"{1.1}", "{1.1}"}, "stable 1.1"},
      {{"{1.1}", "{1.0,1.1}"}, "stable 1.1"},
      {{"{1.1}", "{2.0}"}, "refused"},
      {{"{1.1}", "{1.0,1.1,2.0}"}, "stable 1.1"},
      {{"{1.0,1.1}", "{1.0}"}, "stable 1.0"},
      {{"{1.0,1.1}", "{1.1}"}, "stable 1.1"},
      {{"{1.0,1.1}", "{1.0,1.1}"}, "stable 1.1"},
      {{"{1.0,1.1}", "{2.0}"}, "refused"},
      {{"{1.0,1.1}", "{1.0,1.1,2.0}"}, "stable 1.1"},
      {{"{2.0}", "{1.0}"}, "refused"},
      {{"{2.0}", "{1.1}"}, "refused"},
      {{"{2.0}", "{1.0,1.1}"}, "refused"},
      {{"{2.0}", "{2.0}"}, "stable 2.0"},
      {{"{2.0}", "{1.0,1.1,2.0}"}, "stable 2.0"},
      {{"{1.0,1.1,2.0}", "{1.0}"}, "stable 1.0"},
      {{"{1.0,1.1,2.0}", "{1.1}"}, "stable 1.1"},
      {{"{1.0,1.1,2.0}", "{1.0,1.1}"}, "stable 1.1"},
      {{"{1.0,1.1,2.0}", "{2.0}"}, "stable 2.0"},
      {{"{1.0,1.1,2.0}", "{1.0,1.1,2.0}"}, "stable 2.0"},
  };
  return table.at({local, peer});
}

std::string describe(Mode mode, Version local, Version peer) {
  if (mode == Mode::stable) return local == peer ? "stable " + to_string(local) : "stable with two versions?";
  return "rolling " + to_string(local) + "/" + to_string(peer);
}

}  // namespace

TEST_CASE("Codec choice over every pair of offer sets", "[handshake][codec-choice]") {
  for (const auto& [local_name, local] : offer_sets()) {
    for (const auto& [peer_name, peer] : offer_sets()) {
      INFO("local " << local_name << ", peer " << peer_name);
      const std::string want = expected(local_name, peer_name);
      const auto choice = choose_codec(local, peer, std::nullopt);
      if (want == "refused") {
        REQUIRE(std::holds_alternative<Refuse>(choice));
        const Refuse& refusal = std::get<Refuse>(choice);
        CHECK(refusal.code == RefuseCode::no_common_codec);
        CHECK(refusal.reason ==
              "no common codec major: local offers " + list_versions(local) + "; peer offers " + list_versions(peer));
        continue;
      }
      REQUIRE(std::holds_alternative<CodecChoice>(choice));
      const CodecChoice& chosen = std::get<CodecChoice>(choice);
      CHECK(describe(chosen.mode, chosen.local, chosen.peer) == want);
      CHECK(chosen.local_features == uint64_t{1} << chosen.local.minor);
      CHECK(chosen.peer_features == uint64_t{1} << chosen.peer.minor);
    }
  }
}

TEST_CASE("The same matrix through a real handshake: both sides agree on mirrored terms", "[handshake][codec-choice]") {
  for (const auto& [responder_name, responder_offers] : offer_sets()) {
    for (const auto& [initiator_name, initiator_offers] : offer_sets()) {
      INFO("responder " << responder_name << ", initiator " << initiator_name);
      LocalNode responder = alpha(), initiator = beta();
      responder.codecs = responder_offers;
      initiator.codecs = initiator_offers;
      FakeHost hosts[2];
      const Exchange run = exchange(responder, initiator, hosts[0], hosts[1]);
      const std::string want = expected(responder_name, initiator_name);
      if (want == "refused") {
        CHECK(refused(run.responder).refusal.code == RefuseCode::no_common_codec);
        CHECK(refused(run.initiator).by == Side::peer);
        CHECK(refused(run.initiator).refusal == refused(run.responder).refusal);
        continue;
      }
      const Agreement& r = accepted(run.responder).agreement;
      const Agreement& i = accepted(run.initiator).agreement;
      CHECK(describe(r.mode, r.local_codec, r.peer_codec) == want);
      CHECK(i.local_codec == r.peer_codec);
      CHECK(i.peer_codec == r.local_codec);
      CHECK(i.mode == r.mode);
      CHECK(i.features == r.features);
    }
  }
}

TEST_CASE("Rolling mode takes the highest common major and each side's highest minor in it",
          "[handshake][codec-choice]") {
  const auto choice = choose_codec(offers({{1, 1}, {2, 1}, {2, 3}}), offers({{1, 0}, {2, 0}, {3, 0}}), std::nullopt);
  const CodecChoice& chosen = std::get<CodecChoice>(choice);
  CHECK(chosen.mode == Mode::rolling);
  CHECK(chosen.local == Version{2, 3});
  CHECK(chosen.peer == Version{2, 0});
}

TEST_CASE("A common version wins over a higher common major", "[handshake][codec-choice]") {
  const auto choice = choose_codec(offers({{1, 1}, {2, 1}}), offers({{1, 1}, {2, 0}}), std::nullopt);
  const CodecChoice& chosen = std::get<CodecChoice>(choice);
  CHECK(chosen.mode == Mode::stable);
  CHECK(chosen.local == Version{1, 1});
}

TEST_CASE("protocol.max_version caps the local offers", "[handshake][codec-choice]") {
  const auto all = offers({{1, 0}, {1, 1}, {2, 0}});
  SECTION("pinned below a common version: the next one down") {
    const auto chosen = std::get<CodecChoice>(choose_codec(all, all, Version{1, 1}));
    CHECK(chosen.local == Version{1, 1});
    CHECK(chosen.mode == Mode::stable);
  }
  SECTION("pinned so that only rolling mode is left") {
    const auto chosen = std::get<CodecChoice>(choose_codec(offers({{1, 0}, {1, 1}}), offers({{1, 1}}), Version{1, 0}));
    CHECK(chosen.mode == Mode::rolling);
    CHECK(chosen.local == Version{1, 0});
    CHECK(chosen.peer == Version{1, 1});
  }
  SECTION("pinned out of every common major: the refusal says what the pin left out") {
    const auto refusal = std::get<Refuse>(choose_codec(all, offers({{2, 0}, {2, 1}}), Version{1, 1}));
    CHECK(refusal.reason ==
          "no common codec major: local offers 1.0, 1.1 (2.0 left out by protocol.max_version 1.1); peer offers 2.0, "
          "2.1");
  }
  SECTION("offers_within is what an initiator sends") {
    CHECK(offers_within(all, Version{1, 0}) == offers({{1, 0}}));
    CHECK(offers_within(all, std::nullopt) == all);
  }
}

TEST_CASE("A node without codecs offers nothing", "[handshake][codec-choice]") {
  const auto refusal = std::get<Refuse>(choose_codec({}, offers({{1, 0}}), std::nullopt));
  CHECK(refusal.reason == "no common codec major: local offers nothing; peer offers 1.0");
}

TEST_CASE("Version lists are sorted, unique and bounded", "[handshake][codec-choice]") {
  CHECK(list_versions(offers({{2, 0}, {1, 1}, {1, 0}, {1, 1}})) == "1.0, 1.1, 2.0");
  std::vector<CodecOffer> many;
  for (uint16_t minor = 0; minor < 20; ++minor) many.push_back({{3, minor}, 0});
  CHECK_THAT(list_versions(many), Catch::EndsWith("3.14, 3.15 and 4 more"));
}
