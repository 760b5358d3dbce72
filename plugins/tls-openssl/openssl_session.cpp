#include "openssl_session.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <climits>

#include "openssl_errors.hpp"
#include "queue_bio.hpp"

namespace ferry::tls_openssl {
namespace {

// The ABI's buffers may exceed what OpenSSL's int lengths can say.
int clamp(size_t size) { return size > INT_MAX ? INT_MAX : static_cast<int>(size); }

std::string subject_of(X509* certificate) {
  if (certificate == nullptr) return {};
  char text[256];
  X509_NAME_oneline(X509_get_subject_name(certificate), text, sizeof text);
  return text;
}

// The DNS names of the certificate's subjectAltName, for a refusal that says what it did name.
std::string dns_names(X509* certificate) {
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  std::string text;
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_DNS) continue;
    const ASN1_STRING* dns = name->d.dNSName;
    text += (text.empty() ? "\"" : ", \"") +
            std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)), ASN1_STRING_length(dns)) + "\"";
  }
  GENERAL_NAMES_free(names);
  return text.empty() ? "no DNS name" : text;
}

}  // namespace

OpensslSession::OpensslSession(const OpensslContext& context, sdk::TlsRole role)
    : ssl_(SSL_new(context.get())), role_(role) {
  BIO* from_peer = ssl_ != nullptr ? new_queue_bio(incoming_) : nullptr;
  BIO* to_peer = from_peer != nullptr ? new_queue_bio(outgoing_) : nullptr;
  if (to_peer == nullptr) {
    SSL_free(ssl_);
    BIO_free(from_peer);
    throw sdk::Error(FERRY_ERR_LIMIT, "cannot create a TLS session: " + take_openssl_errors());
  }
  SSL_set_bio(ssl_, from_peer, to_peer);
  if (role == sdk::TlsRole::client) {
    SSL_set_connect_state(ssl_);
    SSL_set_verify(ssl_, SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_set_accept_state(ssl_);
    SSL_set_verify(ssl_, SSL_VERIFY_PEER | (context.require_client_cert() ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                   nullptr);
  }
  advance();  // a client's ClientHello is ready to take at once
}

OpensslSession::~OpensslSession() { SSL_free(ssl_); }  // frees both BIOs

void OpensslSession::advance() {
  if (state_ != sdk::TlsHandshake::in_progress) return;
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_);
  if (result == 1) {
    state_ = sdk::TlsHandshake::done;
    return;
  }
  const int error = SSL_get_error(ssl_, result);
  if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) fail_handshake();
}

void OpensslSession::fail_handshake() {
  state_ = sdk::TlsHandshake::failed;
  const long verify = SSL_get_verify_result(ssl_);
  std::string reason = take_openssl_errors("the TLS handshake failed");
  if (verify != X509_V_OK)
    reason += ": the " + std::string(role_ == sdk::TlsRole::client ? "server" : "client") + "'s certificate: " +
              X509_verify_cert_error_string(verify);
  failure_ = "TLS handshake failed: " + reason;
}

void OpensslSession::throw_failure() const { throw sdk::Error(FERRY_ERR_PERMISSION, failure_); }

size_t OpensslSession::feed_ciphertext(std::span<const uint8_t> input) {
  incoming_.append(input);
  advance();
  return input.size();
}

// As many records as fit: each SSL_read gives at most one, and the host would come back for each.
size_t OpensslSession::read_plaintext(std::span<uint8_t> output) {
  advance();
  if (state_ == sdk::TlsHandshake::failed) throw_failure();
  if (state_ != sdk::TlsHandshake::done) return 0;
  if (read_failure_) throw *read_failure_;
  size_t done = 0;
  while (done < output.size()) {
    ERR_clear_error();
    size_t got = 0;
    if (SSL_read_ex(ssl_, output.data() + done, output.size() - done, &got) == 1) {
      done += got;
      continue;
    }
    const int error = SSL_get_error(ssl_, 0);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) break;
    read_failure_ = error == SSL_ERROR_ZERO_RETURN
                        ? sdk::Error(FERRY_ERR_IO, "the peer closed the TLS session")
                        : sdk::Error(FERRY_ERR_PROTOCOL, "TLS record refused: " + take_openssl_errors());
    // The bytes before the failure are the peer's and go out first; the next call reports it, with the
    // reason OpenSSL gave now (a later call would find the session shut and no reason).
    if (done == 0) throw *read_failure_;
    break;
  }
  return done;
}

size_t OpensslSession::write_plaintext(std::span<const uint8_t> input) {
  advance();
  if (state_ == sdk::TlsHandshake::failed) throw_failure();
  if (state_ != sdk::TlsHandshake::done || input.empty()) return 0;
  ERR_clear_error();
  const int result = SSL_write(ssl_, input.data(), clamp(input.size()));
  if (result > 0) return static_cast<size_t>(result);
  const int error = SSL_get_error(ssl_, result);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return 0;
  throw sdk::Error(FERRY_ERR_PROTOCOL, "cannot encrypt: " + take_openssl_errors());
}

size_t OpensslSession::take_ciphertext(std::span<uint8_t> output) { return outgoing_.take(output); }

sdk::TlsHandshake OpensslSession::handshake_state(std::string& reason) {
  advance();
  if (state_ == sdk::TlsHandshake::failed) reason = failure_;
  return state_;
}

void OpensslSession::verify_peer_name(std::string_view name) {
  if (state_ != sdk::TlsHandshake::done)
    throw sdk::Error(FERRY_ERR_INVALID_ARGUMENT, "the TLS handshake has not finished, so the peer is not known yet");
  X509* certificate = SSL_get0_peer_certificate(ssl_);
  if (certificate == nullptr)
    throw sdk::Error(FERRY_ERR_PERMISSION,
                     "the peer sent no certificate, so nothing proves it is node \"" + std::string(name) + "\"");
  const int matched = X509_check_host(certificate, name.data(), name.size(),
                                      X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS | X509_CHECK_FLAG_NEVER_CHECK_SUBJECT,
                                      nullptr);
  if (matched == 1) return;
  throw sdk::Error(FERRY_ERR_PERMISSION, "the peer's certificate (" + subject_of(certificate) + ") names " +
                                             dns_names(certificate) + ", not node \"" + std::string(name) + "\"");
}

sdk::TlsDescription OpensslSession::describe() {
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl_);
  return {SSL_get_version(ssl_), cipher != nullptr ? SSL_CIPHER_get_name(cipher) : "",
          subject_of(SSL_get0_peer_certificate(ssl_))};
}

}  // namespace ferry::tls_openssl
