#include "stream/sha256.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace ferry::stream {

struct Sha256::State {
  EVP_MD_CTX* context = nullptr;
  ~State() { EVP_MD_CTX_free(context); }
};

namespace {

void start(EVP_MD_CTX* context) {
  if (EVP_DigestInit_ex(context, EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256: cannot start");
}

}  // namespace

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->context = EVP_MD_CTX_new();
  if (state_->context == nullptr) throw std::bad_alloc();
  start(state_->context);
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::span<const uint8_t> data) {
  if (!data.empty()) EVP_DigestUpdate(state_->context, data.data(), data.size());
}

void Sha256::update_zeros(uint64_t count) {
  static const std::array<uint8_t, 64 * 1024> zeros{};
  while (count > 0) {
    const size_t piece = static_cast<size_t>(std::min<uint64_t>(count, zeros.size()));
    EVP_DigestUpdate(state_->context, zeros.data(), piece);
    count -= piece;
  }
}

Digest Sha256::finish() {
  Digest digest(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  EVP_DigestFinal_ex(state_->context, digest.data(), &size);
  digest.resize(size);
  start(state_->context);
  return digest;
}

}  // namespace ferry::stream
