// The `openssl` TLS plugin: mutual TLS over OpenSSL 3 with memory BIOs (a sans-I/O byte filter, abi.h).
// Both sides present a certificate signed by the cluster's CA; the host then checks that the peer's
// certificate names the node it claims in the node handshake (verify_peer_name). Keys are in
// tls_options.cpp and docs/configuration.md.
// Thread safety: the context is immutable after construction; each session is used by one thread at a time.
#include <ferry/tls.hpp>

#include "openssl_context.hpp"
#include "openssl_session.hpp"
#include "tls_options.hpp"

namespace ferry::tls_openssl {
namespace {

class OpensslTls final : public sdk::Tls {
 public:
  explicit OpensslTls(const sdk::Host& host) : options_(read_tls_options(host)), context_(options_) {
    host.info("openssl TLS: certificate " + options_.cert + ", CA " + options_.ca + ", TLS " + options_.min_version +
              " or later" + (options_.require_client_cert ? ", client certificates required" : ""));
  }

  static sdk::PluginInfo info() {
    return {"openssl", "1.0.0", "Mutual TLS over OpenSSL, with the peer's certificate bound to its node",
            tls_config_keys()};
  }

  std::unique_ptr<sdk::TlsSession> open(sdk::TlsRole role) override {
    return std::make_unique<OpensslSession>(context_, role);
  }

 private:
  TlsOptions options_;
  OpensslContext context_;
};

}  // namespace
}  // namespace ferry::tls_openssl

FERRY_TLS_PLUGIN(ferry::tls_openssl::OpensslTls)
