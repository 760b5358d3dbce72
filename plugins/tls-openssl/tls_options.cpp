#include "tls_options.hpp"

#include <array>

namespace ferry::tls_openssl {
namespace {

constexpr std::array<ferry_type_config_key, 6> keys{{
    {"cert", FERRY_CONFIG_STRING, 1, 0, 0, "This node's certificate chain (PEM); its SAN names the node"},
    {"key", FERRY_CONFIG_STRING, 1, 0, 0, "The private key of the certificate (PEM)"},
    {"ca", FERRY_CONFIG_STRING, 1, 0, 0, "The CA bundle (PEM) that peers' certificates must chain to"},
    {"min_version", FERRY_CONFIG_STRING, 0, 0, 0, "The oldest TLS version accepted: \"1.2\" or \"1.3\" (default)"},
    {"cipher_suites", FERRY_CONFIG_STRING, 0, 0, 0, "OpenSSL cipher names, ':'-separated; empty = OpenSSL's defaults"},
    {"require_client_cert", FERRY_CONFIG_BOOLEAN, 0, 0, 0, "Refuse connecting peers without a certificate (default true)"},
}};

std::string required(const sdk::Host& host, const char* key) {
  auto value = host.config_string(key);
  if (!value || value->empty())
    throw sdk::Error(FERRY_ERR_CONFIG, std::string("tls.") + key + ": a file path is required");
  return *value;
}

}  // namespace

std::span<const ferry_type_config_key> tls_config_keys() { return keys; }

TlsOptions read_tls_options(const sdk::Host& host) {
  TlsOptions options;
  options.cert = required(host, "cert");
  options.key = required(host, "key");
  options.ca = required(host, "ca");
  options.min_version = host.config_string("min_version").value_or(options.min_version);
  if (options.min_version != "1.2" && options.min_version != "1.3")
    throw sdk::Error(FERRY_ERR_CONFIG, "tls.min_version: expected \"1.2\" or \"1.3\", got \"" + options.min_version + "\"");
  options.cipher_suites = host.config_string("cipher_suites").value_or("");
  options.require_client_cert = host.config_boolean("require_client_cert").value_or(true);
  return options;
}

}  // namespace ferry::tls_openssl
