// The keys of the `openssl` TLS plugin (the [tls] section, docs/configuration.md) as read from the host.
#pragma once

#include <ferry/plugin.hpp>

#include <span>
#include <string>

namespace ferry::tls_openssl {

struct TlsOptions {
  std::string cert;  // this node's certificate chain, PEM
  std::string key;   // its private key, PEM
  std::string ca;    // the CA bundle peers' certificates must chain to, PEM
  std::string min_version = "1.3";  // "1.2" | "1.3"
  std::string cipher_suites;        // OpenSSL names, ':'-separated; "" = OpenSSL's defaults
  bool require_client_cert = true;  // a server refuses clients without a certificate
};

std::span<const ferry_type_config_key> tls_config_keys();
// Throws sdk::Error(FERRY_ERR_CONFIG) naming the key when a value is missing or invalid.
TlsOptions read_tls_options(const sdk::Host& host);

}  // namespace ferry::tls_openssl
