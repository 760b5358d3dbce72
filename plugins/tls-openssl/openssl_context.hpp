// The OpenSSL context of one `openssl` TLS instance: certificate, key, CA and policy, loaded once and
// shared by every session. Thread safety: immutable after construction; sessions may be opened from any
// thread.
#pragma once

#include "tls_options.hpp"

typedef struct ssl_ctx_st SSL_CTX;

namespace ferry::tls_openssl {

class OpensslContext {
 public:
  // Throws sdk::Error(FERRY_ERR_CONFIG) naming the key and OpenSSL's reason when a file does not load.
  explicit OpensslContext(const TlsOptions& options);
  ~OpensslContext();
  OpensslContext(const OpensslContext&) = delete;
  OpensslContext& operator=(const OpensslContext&) = delete;

  SSL_CTX* get() const { return context_; }
  bool require_client_cert() const { return require_client_cert_; }

 private:
  SSL_CTX* context_;
  bool require_client_cert_;
};

}  // namespace ferry::tls_openssl
