// The `openssl` TLS plugin's sessions driven with byte buffers: mutual authentication with certificates
// made at run time (valid, expired, another CA, wrong name, none, self-signed), the peer-name check, and
// garbage and truncated records.
#include <catch2/catch.hpp>

#include <algorithm>

#include "session_pair.hpp"
#include "test_certificates.hpp"

using namespace ferry;
using namespace ferry::test;
using tls_openssl::TlsOptions;

namespace {

struct Cluster {
  TestPki pki;
  CertificateFiles ca = pki.authority("cluster-ca");
  TlsOptions options(const CertificateFiles& files) const {
    TlsOptions out = anonymous();
    out.cert = files.cert;
    out.key = files.key;
    return out;
  }
  // Trusts the cluster's CA but presents no certificate.
  TlsOptions anonymous() const {
    TlsOptions out;
    out.ca = ca.cert;
    return out;
  }
  TlsOptions node(const std::string& name, const LeafSpec& spec) {
    return options(pki.leaf(name, "cluster-ca", spec));
  }
  TlsOptions node(const std::string& name) { return node(name, {{name, "0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70"}}); }
};

// The reason a side gives for a failed session: its handshake reason, or, when it finished its side of the
// handshake before the peer refused (a TLS 1.3 client), the alert that reading then reports.
std::string failure_of(sdk::TlsSession& session) {
  std::string reason;
  if (session.handshake_state(reason) == sdk::TlsHandshake::failed) return reason;
  try {
    read_all(session);
  } catch (const sdk::Error& error) {
    return error.what();
  }
  return {};
}

Bytes pattern(size_t size) {
  Bytes out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(i * 31 + (i >> 8));
  return out;
}

// Sends data from `from` to `to` through the sessions, in whatever pieces they take.
Bytes transfer(sdk::TlsSession& from, sdk::TlsSession& to, const Bytes& data) {
  Bytes received;
  size_t sent = 0;
  for (int round = 0; round < 10000 && received.size() < data.size(); ++round) {
    if (sent < data.size()) sent += from.write_plaintext(std::span(data).subspan(sent));
    pump(from, to);
    const Bytes got = read_all(to);
    received.insert(received.end(), got.begin(), got.end());
  }
  return received;
}

}  // namespace

TEST_CASE("Two nodes with certificates of the cluster CA complete mutual TLS 1.3", "[tls]") {
  Cluster cluster;
  auto pair = handshake(cluster.node("alpha"), cluster.node("beta"));
  REQUIRE(pair.result.client == sdk::TlsHandshake::done);
  REQUIRE(pair.result.server == sdk::TlsHandshake::done);
  const sdk::TlsDescription client = pair.client->describe();
  CHECK(client.version == "TLSv1.3");
  CHECK_FALSE(client.cipher.empty());
  CHECK(client.peer_subject == "/CN=beta");
  CHECK(pair.server->describe().peer_subject == "/CN=alpha");

  SECTION("each side checks the name the other claims, by node name or id") {
    CHECK_NOTHROW(pair.server->verify_peer_name("alpha"));
    CHECK_NOTHROW(pair.client->verify_peer_name("beta"));
    CHECK_NOTHROW(pair.client->verify_peer_name("0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70"));
  }
  SECTION("data crosses both ways, intact") {
    const Bytes big = pattern(1 << 20);
    CHECK(transfer(*pair.client, *pair.server, big) == big);
    const Bytes small = pattern(100);
    CHECK(transfer(*pair.server, *pair.client, small) == small);
  }
}

TEST_CASE("A certificate naming another node fails the peer-name check with what it names", "[tls]") {
  Cluster cluster;
  auto pair = handshake(cluster.node("mallory", {{"mallory"}}), cluster.node("beta"));
  REQUIRE(pair.result.server == sdk::TlsHandshake::done);
  try {
    pair.server->verify_peer_name("alpha");
    FAIL("the name was accepted");
  } catch (const sdk::Error& error) {
    CHECK(error.code() == FERRY_ERR_PERMISSION);
    CHECK(std::string(error.what()) == "the peer's certificate (/CN=mallory) names \"mallory\", not node \"alpha\"");
  }
}

TEST_CASE("An expired client certificate is refused, with the reason on both sides", "[tls]") {
  Cluster cluster;
  auto pair = handshake(cluster.node("alpha", {{"alpha"}, -10, -1}), cluster.node("beta"));
  CHECK(pair.result.server == sdk::TlsHandshake::failed);
  CHECK_THAT(pair.result.server_reason, Catch::Contains("certificate has expired"));
  CHECK_THAT(failure_of(*pair.client), Catch::Contains("certificate expired"));
}

TEST_CASE("An expired server certificate is refused by the client", "[tls]") {
  Cluster cluster;
  auto pair = handshake(cluster.node("alpha"), cluster.node("beta", {{"beta"}, -10, -1}));
  CHECK(pair.result.client == sdk::TlsHandshake::failed);
  CHECK_THAT(pair.result.client_reason, Catch::Contains("the server's certificate: certificate has expired"));
  CHECK_THAT(failure_of(*pair.server), Catch::Contains("certificate expired"));
}

TEST_CASE("A certificate signed by another CA is refused", "[tls]") {
  Cluster cluster;
  cluster.pki.authority("other-ca");
  const TlsOptions stranger = cluster.options(cluster.pki.leaf("alpha", "other-ca", {{"alpha"}}));
  auto pair = handshake(stranger, cluster.node("beta"));
  CHECK(pair.result.server == sdk::TlsHandshake::failed);
  CHECK_THAT(pair.result.server_reason, Catch::Contains("the client's certificate: unable to get local issuer"));
  CHECK_FALSE(failure_of(*pair.client).empty());
}

TEST_CASE("A self-signed certificate is refused", "[tls]") {
  Cluster cluster;
  const TlsOptions lone = cluster.options(cluster.pki.leaf("alpha", "", {{"alpha"}}));
  auto pair = handshake(cluster.node("beta"), [&] {
    TlsOptions server = lone;
    server.ca = cluster.ca.cert;
    return server;
  }());
  CHECK(pair.result.client == sdk::TlsHandshake::failed);
  CHECK_THAT(pair.result.client_reason, Catch::Contains("self-signed certificate"));
  CHECK_FALSE(failure_of(*pair.server).empty());
}

TEST_CASE("A client without a certificate is refused unless require_client_cert is false", "[tls]") {
  Cluster cluster;
  const TlsOptions anonymous = cluster.anonymous();
  SECTION("required") {
    auto pair = handshake(anonymous, cluster.node("beta"));
    CHECK(pair.result.server == sdk::TlsHandshake::failed);
    CHECK_THAT(pair.result.server_reason, Catch::Contains("peer did not return a certificate"));
    CHECK_THAT(failure_of(*pair.client), Catch::Contains("certificate required"));
  }
  SECTION("not required: the session is up, but names no node") {
    TlsOptions lenient = cluster.node("beta");
    lenient.require_client_cert = false;
    auto pair = handshake(anonymous, lenient);
    REQUIRE(pair.result.server == sdk::TlsHandshake::done);
    CHECK_THROWS_WITH(pair.server->verify_peer_name("alpha"),
                      "the peer sent no certificate, so nothing proves it is node \"alpha\"");
  }
}

TEST_CASE("The keys choose the minimum version and the cipher suites", "[tls]") {
  Cluster cluster;
  TlsOptions client = cluster.node("alpha"), server = cluster.node("beta");
  client.cipher_suites = server.cipher_suites = "TLS_CHACHA20_POLY1305_SHA256";
  client.min_version = "1.2";
  auto pair = handshake(client, server);
  REQUIRE(pair.result.server == sdk::TlsHandshake::done);
  CHECK(pair.client->describe().cipher == "TLS_CHACHA20_POLY1305_SHA256");
  CHECK(pair.client->describe().version == "TLSv1.3");
}

TEST_CASE("Files that do not load are named with OpenSSL's reason", "[tls]") {
  Cluster cluster;
  TlsOptions options = cluster.node("alpha");
  SECTION("certificate") {
    options.cert = cluster.pki.directory() / "absent.crt";
    CHECK_THROWS_WITH(tls_openssl::OpensslContext(options),
                      Catch::StartsWith("tls.cert \"" + options.cert + "\": cannot load the certificate chain: "));
  }
  SECTION("a key of another certificate") {
    options.key = cluster.pki.leaf("other", "cluster-ca").key;
    CHECK_THROWS_WITH(tls_openssl::OpensslContext(options), Catch::Contains("cannot load the private key: key values mismatch"));
  }
  SECTION("cipher suites") {
    options.cipher_suites = "TLS_NO_SUCH_SUITE";
    CHECK_THROWS_WITH(tls_openssl::OpensslContext(options), Catch::Contains("no TLS 1.3 suite of it is known"));
  }
}

TEST_CASE("Garbage instead of a handshake fails the session with a reason", "[tls]") {
  Cluster cluster;
  tls_openssl::OpensslContext context(cluster.node("beta"));
  tls_openssl::OpensslSession server(context, sdk::TlsRole::server);
  const std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  server.feed_ciphertext({reinterpret_cast<const uint8_t*>(http.data()), http.size()});
  std::string reason;
  CHECK(server.handshake_state(reason) == sdk::TlsHandshake::failed);
  CHECK_THAT(reason, Catch::StartsWith("TLS handshake failed: "));
  CHECK_THROWS_AS(server.read_plaintext(std::span<uint8_t>()), sdk::Error);
}

TEST_CASE("Records arriving in pieces wait for their end; a corrupted record is refused", "[tls]") {
  Cluster cluster;
  auto pair = handshake(cluster.node("alpha"), cluster.node("beta"));
  REQUIRE(pair.result.server == sdk::TlsHandshake::done);
  const Bytes message = pattern(1000);
  REQUIRE(pair.client->write_plaintext(message) == message.size());
  Bytes record = take_all(*pair.client);
  REQUIRE(record.size() > message.size());

  SECTION("truncated, then completed") {
    for (size_t i = 0; i + 1 < record.size(); ++i) {
      pair.server->feed_ciphertext(std::span(record).subspan(i, 1));
      REQUIRE(read_all(*pair.server).empty());
    }
    pair.server->feed_ciphertext(std::span(record).last(1));
    CHECK(read_all(*pair.server) == message);
  }
  SECTION("one byte flipped") {
    record[record.size() / 2] ^= 0x40;
    pair.server->feed_ciphertext(record);
    try {
      read_all(*pair.server);
      FAIL("the corrupted record was accepted");
    } catch (const sdk::Error& error) {
      CHECK(error.code() == FERRY_ERR_PROTOCOL);
      CHECK_THAT(error.what(), Catch::StartsWith("TLS record refused: "));
      CHECK_THAT(error.what(), Catch::Contains("bad record mac"));
    }
  }
  SECTION("a corrupted record after a good one, in one piece: the good one is read, then OpenSSL's reason") {
    REQUIRE(pair.client->write_plaintext(message) == message.size());
    Bytes second = take_all(*pair.client);
    second[second.size() / 2] ^= 0x40;
    record.insert(record.end(), second.begin(), second.end());
    pair.server->feed_ciphertext(record);
    Bytes plaintext(4 * message.size());
    CHECK(pair.server->read_plaintext(plaintext) == message.size());
    try {
      pair.server->read_plaintext(plaintext);
      FAIL("the corrupted record was accepted");
    } catch (const sdk::Error& error) {
      CHECK(error.code() == FERRY_ERR_PROTOCOL);
      CHECK_THAT(error.what(), Catch::StartsWith("TLS record refused: "));
      CHECK_THAT(error.what(), Catch::Contains("bad record mac"));
    }
  }
}
