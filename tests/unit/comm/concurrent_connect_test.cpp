// Two in-process nodes on 127.0.0.1 connect to each other at the same moment, 100 times for each of
// connections_per_peer 1 and 4, paired and not. Each time both must end with exactly the configured
// connections, the same ones seen from either side, and every message sent while they settle must arrive
// once, in order per connection, with its completion reporting delivery. Then the same over TLS (25 times
// each), where every connection, the ones that lose the tie-break included, runs a TLS handshake first.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "test_certificates.hpp"
#include "test_node.hpp"

namespace {

using namespace ferry::comm_test;
using ferry::comm::ConnectionSummary;

constexpr int kRepetitions = 100;
// Over TLS the same races run fewer times: they are the same code paths with a TLS handshake in front, and
// the plain cases already repeat them 100 times.
constexpr int kTlsRepetitions = 25;
constexpr uint64_t kMessagesPerConnection = 40;

// A connection as both ends can name it: its two addresses, in order.
std::set<std::pair<std::string, std::string>> ends(const std::vector<ConnectionSummary>& connections) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& c : connections) out.insert(std::minmax(c.local_address, c.peer_address));
  return out;
}

std::set<uint32_t> indexes(const std::vector<ConnectionSummary>& connections) {
  std::set<uint32_t> out;
  for (const auto& c : connections) out.insert(c.connection_index);
  return out;
}

bool settled(TestNode& a, TestNode& b, size_t slots) {
  const auto at_a = a.communicator().connections(), at_b = b.communicator().connections();
  return at_a.size() == slots && at_b.size() == slots && indexes(at_a).size() == slots && ends(at_a) == ends(at_b);
}

// The settings that give node `name` TLS with a certificate naming it, signed by the CA ca.
std::vector<std::string> tls_settings(ferry::test::TestPki& pki, const ferry::test::CertificateFiles& ca,
                                      const std::string& name) {
  const auto own = pki.leaf(name, "ca", {{name}});
  return {"tls.enabled=true", "tls.required=true", "tls.cert=" + own.cert, "tls.key=" + own.key, "tls.ca=" + ca.cert};
}

// extra: more settings for alpha and for beta.
void connect_at_once(uint32_t connections, bool paired, const std::array<std::vector<std::string>, 2>& extra = {},
                     int repetitions = kRepetitions) {
  const size_t slots = connections * (paired ? 2u : 1u);
  const uint64_t expected = kMessagesPerConnection * connections;
  for (int repetition = 0; repetition < repetitions; ++repetition) {
    INFO("repetition " << repetition);
    const auto settings_of = [&](size_t node) {
      std::vector<std::string> settings{"communication.connections_per_peer=" + std::to_string(connections),
                                        std::string("communication.paired_connections=") + (paired ? "true" : "false")};
      settings.insert(settings.end(), extra[node].begin(), extra[node].end());
      return settings;
    };
    TestNode a("alpha", settings_of(0)), b("beta", settings_of(1));
    a.communicator().connect(b.address());
    b.communicator().connect(a.address());

    // Send as soon as each knows the other, while the connections are still settling.
    REQUIRE(eventually([&] { return !a.communicator().connections().empty(); }));
    a.send_all(b.id(), connections, kMessagesPerConnection);
    REQUIRE(eventually([&] { return !b.communicator().connections().empty(); }));
    b.send_all(a.id(), connections, kMessagesPerConnection);

    REQUIRE(eventually([&] {
      return delivered(a) == expected && delivered(b) == expected && received_in_order(a) == expected &&
             received_in_order(b) == expected && settled(a, b, slots);
    }));
    // Settled means settled: nothing reconnects or replaces a connection afterwards.
    const auto before = ends(a.communicator().connections());
    std::this_thread::sleep_for(20ms);
    CHECK(ends(a.communicator().connections()) == before);
    CHECK(settled(a, b, slots));
    for (TestNode* node : {&a, &b}) {
      std::lock_guard lock(node->outcomes().mutex);
      CHECK(node->outcomes().failures.empty());
      std::lock_guard received_lock(node->received().mutex);
      CHECK(node->received().out_of_order == 0);
    }
  }
}

}  // namespace

TEST_CASE("Simultaneous connects settle on one connection per index: 1 connection", "[comm][concurrent]") {
  connect_at_once(1, false);
}

TEST_CASE("Simultaneous connects settle on one connection per index: 4 connections", "[comm][concurrent]") {
  connect_at_once(4, false);
}

TEST_CASE("Simultaneous connects settle on one connection per index: 1 paired", "[comm][concurrent]") {
  connect_at_once(1, true);
}

TEST_CASE("Simultaneous connects settle on one connection per index: 4 paired", "[comm][concurrent]") {
  connect_at_once(4, true);
}

TEST_CASE("Simultaneous connects settle on one connection per index over TLS: 1 connection", "[comm][concurrent][tls]") {
  ferry::test::TestPki pki;
  const auto ca = pki.authority("ca");
  connect_at_once(1, false, {tls_settings(pki, ca, "alpha"), tls_settings(pki, ca, "beta")}, kTlsRepetitions);
}

TEST_CASE("Simultaneous connects settle on one connection per index over TLS: 4 paired", "[comm][concurrent][tls]") {
  ferry::test::TestPki pki;
  const auto ca = pki.authority("ca");
  connect_at_once(4, true, {tls_settings(pki, ca, "alpha"), tls_settings(pki, ca, "beta")}, kTlsRepetitions);
}
