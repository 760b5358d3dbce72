#include "digest/hmac_sha256.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace ferry::digest {
namespace {

struct MacFree {
  void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
  void operator()(EVP_MAC_CTX* context) const { EVP_MAC_CTX_free(context); }
};

[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string("HMAC-SHA-256: cannot ") + what); }

}  // namespace

Sha256Digest hmac_sha256(std::span<const uint8_t> key, std::span<const std::span<const uint8_t>> parts) {
  std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  if (!mac) fail("find the HMAC algorithm");
  std::unique_ptr<EVP_MAC_CTX, MacFree> context(EVP_MAC_CTX_new(mac.get()));
  if (!context) fail("allocate a context");
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                               OSSL_PARAM_construct_end()};
  // A zero-length key is legal HMAC; OpenSSL wants a non-null pointer for it.
  static constexpr uint8_t no_key = 0;
  if (EVP_MAC_init(context.get(), key.empty() ? &no_key : key.data(), key.size(), params) != 1) fail("start");
  for (const auto& part : parts)
    if (!part.empty() && EVP_MAC_update(context.get(), part.data(), part.size()) != 1) fail("update");
  Sha256Digest out{};
  size_t length = 0;
  if (EVP_MAC_final(context.get(), out.data(), &length, out.size()) != 1 || length != out.size()) fail("finish");
  return out;
}

bool equal_in_constant_time(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ferry::digest
