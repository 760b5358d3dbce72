#include "openssl_context.hpp"

#include <openssl/ssl.h>

#include <algorithm>

#include "openssl_errors.hpp"

namespace ferry::tls_openssl {
namespace {

[[noreturn]] void fail(const std::string& key, const std::string& value, const std::string& what) {
  throw sdk::Error(FERRY_ERR_CONFIG, "tls." + key + " \"" + value + "\": " + what + ": " + take_openssl_errors());
}

// TLS 1.3 suites (TLS_AES_128_GCM_SHA256, ...) and older ciphers are configured apart in OpenSSL; one
// key takes both, told apart by the TLS_ prefix that only 1.3 names have.
void set_ciphers(SSL_CTX* context, const std::string& list) {
  std::string tls13, older;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t end = std::min(list.find(':', start), list.size());
    const std::string name = list.substr(start, end - start);
    if (!name.empty()) {
      std::string& into = name.rfind("TLS_", 0) == 0 ? tls13 : older;
      into += (into.empty() ? "" : ":") + name;
    }
    start = end + 1;
  }
  if (!tls13.empty() && SSL_CTX_set_ciphersuites(context, tls13.c_str()) != 1)
    fail("cipher_suites", list, "no TLS 1.3 suite of it is known");
  if (!older.empty() && SSL_CTX_set_cipher_list(context, older.c_str()) != 1)
    fail("cipher_suites", list, "no TLS 1.2 cipher of it is known");
}

}  // namespace

OpensslContext::OpensslContext(const TlsOptions& options)
    : context_(SSL_CTX_new(TLS_method())), require_client_cert_(options.require_client_cert) {
  if (context_ == nullptr) throw sdk::Error(FERRY_ERR_INTERNAL, "cannot create an OpenSSL context: " + take_openssl_errors());
  try {
    SSL_CTX_set_min_proto_version(context_, options.min_version == "1.2" ? TLS1_2_VERSION : TLS1_3_VERSION);
    SSL_CTX_set_mode(context_, SSL_MODE_ENABLE_PARTIAL_WRITE);
    // Several records per read from the incoming queue rather than a header and then a body each time;
    // 128 KiB per session measured steadier than 64 KiB or OpenSSL's one record.
    SSL_CTX_set_read_ahead(context_, 1);
    SSL_CTX_set_default_read_buffer_len(context_, 128 * 1024);
    // Sessions are never resumed (each connection proves its identity afresh): no tickets to send.
    SSL_CTX_set_num_tickets(context_, 0);
    SSL_CTX_set_session_cache_mode(context_, SSL_SESS_CACHE_OFF);
    if (!options.cipher_suites.empty()) set_ciphers(context_, options.cipher_suites);
    // The plugin's keys always name a certificate; without one a context presents none, which is how
    // the tests play a client that has no certificate.
    if (!options.cert.empty()) {
      if (SSL_CTX_use_certificate_chain_file(context_, options.cert.c_str()) != 1)
        fail("cert", options.cert, "cannot load the certificate chain");
      // Loaded after the certificate, the key is checked against it here ("key values mismatch").
      if (SSL_CTX_use_PrivateKey_file(context_, options.key.c_str(), SSL_FILETYPE_PEM) != 1)
        fail("key", options.key, "cannot load the private key");
    }
    if (SSL_CTX_load_verify_locations(context_, options.ca.c_str(), nullptr) != 1)
      fail("ca", options.ca, "cannot load the CA bundle");
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.ca.c_str()))
      SSL_CTX_set_client_CA_list(context_, names);
  } catch (...) {
    SSL_CTX_free(context_);
    throw;
  }
}

OpensslContext::~OpensslContext() { SSL_CTX_free(context_); }

}  // namespace ferry::tls_openssl
