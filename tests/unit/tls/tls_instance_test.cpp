// The `openssl` plugin loaded from its shared object the way the host loads plugins, with the [tls]
// section as its keys, and two of its sessions driven through the C ABI.
#include <catch2/catch.hpp>

#include "plugin/catalog.hpp"
#include "plugin/tls_instance.hpp"
#include "test_certificates.hpp"

using namespace ferry;
using namespace ferry::plugin;

namespace {

std::shared_ptr<TlsInstance> require_tls(const config::TlsSection& tls) {
  const auto catalog = Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, FilePolicy{false, 0});
  auto library = catalog.find("tls", "openssl");
  REQUIRE(library != nullptr);
  auto created = TlsInstance::create(library, tls_plugin_values(tls), nullptr);
  if (const auto* error = std::get_if<PluginError>(&created)) FAIL("openssl did not start: " << error->message);
  return std::get<0>(created);
}

std::unique_ptr<TlsSession> require_open(const TlsInstance& tls, TlsRole role) {
  auto opened = tls.open(role);
  if (const auto* error = std::get_if<PluginError>(&opened)) FAIL("no session: " << error->message);
  return std::move(std::get<0>(opened));
}

// Moves ciphertext from one session to the other; true when something moved.
bool move_ciphertext(TlsSession& from, TlsSession& to) {
  uint8_t buffer[16384];
  bool moved = false;
  while (true) {
    auto taken = from.take_ciphertext(buffer);
    if (!std::holds_alternative<size_t>(taken)) return moved;
    const size_t n = std::get<size_t>(taken);
    REQUIRE(std::get<size_t>(to.feed_ciphertext({buffer, n})) == n);
    moved = true;
  }
}

config::TlsSection section(const test::CertificateFiles& node, const test::CertificateFiles& ca) {
  config::TlsSection tls;
  tls.enabled = true;
  tls.cert = node.cert;
  tls.key = node.key;
  tls.ca = ca.cert;
  return tls;
}

}  // namespace

TEST_CASE("The openssl plugin through the ABI: mutual TLS with the [tls] keys", "[tls][abi]") {
  test::TestPki pki;
  const auto ca = pki.authority("ca");
  const auto client_tls = require_tls(section(pki.leaf("alpha", "ca", {{"alpha"}}), ca));
  const auto server_tls = require_tls(section(pki.leaf("beta", "ca", {{"beta"}}), ca));
  auto client = require_open(*client_tls, TlsRole::client);
  auto server = require_open(*server_tls, TlsRole::server);
  CHECK(client->handshake_state().state == TlsHandshake::in_progress);
  for (int round = 0; round < 20; ++round)
    if (!move_ciphertext(*client, *server) && !move_ciphertext(*server, *client)) break;
  REQUIRE(client->handshake_state().state == TlsHandshake::done);
  REQUIRE(server->handshake_state().state == TlsHandshake::done);
  CHECK(client->describe().version == "TLSv1.3");
  CHECK(server->describe().peer_subject == "/CN=alpha");
  CHECK_FALSE(server->verify_peer_name("alpha"));
  const auto refused = client->verify_peer_name("gamma");
  REQUIRE(refused);
  CHECK(refused->message == "the peer's certificate (/CN=beta) names \"beta\", not node \"gamma\"");

  const std::string text = "over the ABI";
  REQUIRE(std::get<size_t>(client->write_plaintext({reinterpret_cast<const uint8_t*>(text.data()), text.size()})) ==
          text.size());
  move_ciphertext(*client, *server);
  uint8_t received[64];
  const auto read = server->read_plaintext(received);
  REQUIRE(std::holds_alternative<size_t>(read));
  CHECK(std::string(reinterpret_cast<const char*>(received), std::get<size_t>(read)) == text);
  CHECK(std::holds_alternative<WouldBlock>(server->read_plaintext(received)));
}

TEST_CASE("A [tls] section whose files do not load fails the instance with the key's name", "[tls][abi]") {
  test::TestPki pki;
  const auto ca = pki.authority("ca");
  config::TlsSection tls = section(pki.leaf("alpha", "ca", {{"alpha"}}), ca);
  tls.ca = (pki.directory() / "absent.pem").string();
  const auto catalog = Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, FilePolicy{false, 0});
  auto created = TlsInstance::create(catalog.find("tls", "openssl"), tls_plugin_values(tls), nullptr);
  REQUIRE(std::holds_alternative<PluginError>(created));
  CHECK_THAT(std::get<PluginError>(created).message,
             Catch::StartsWith("tls.ca \"" + tls.ca + "\": cannot load the CA bundle: "));
}
