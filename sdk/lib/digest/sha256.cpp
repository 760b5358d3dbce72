#include "digest/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace ferry::digest {

struct Sha256::State {
  EVP_MD_CTX* context;
};

namespace {

void start(EVP_MD_CTX* context) {
  if (EVP_DigestInit_ex(context, EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256: cannot start a digest");
}

}  // namespace

Sha256::Sha256() : state_(new State{EVP_MD_CTX_new()}) {
  if (state_->context == nullptr) {
    delete state_;
    throw std::bad_alloc();
  }
  start(state_->context);
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(state_->context);
  delete state_;
}

void Sha256::update(std::span<const uint8_t> data) {
  if (data.empty()) return;
  if (EVP_DigestUpdate(state_->context, data.data(), data.size()) != 1)
    throw std::runtime_error("SHA-256: cannot update a digest");
}

Sha256Digest Sha256::finish() {
  Sha256Digest digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(state_->context, digest.data(), &length) != 1 || length != digest.size())
    throw std::runtime_error("SHA-256: cannot finish a digest");
  start(state_->context);
  return digest;
}

std::string to_hex(std::span<const uint8_t> digest) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(digest.size() * 2);
  for (uint8_t byte : digest) {
    text += digits[byte >> 4];
    text += digits[byte & 0x0f];
  }
  return text;
}

}  // namespace ferry::digest
