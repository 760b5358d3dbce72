#include "queue_bio.hpp"

#include <openssl/bio.h>

#include <memory>

namespace ferry::tls_openssl {
namespace {

ByteQueue& queue_of(BIO* bio) { return *static_cast<ByteQueue*>(BIO_get_data(bio)); }

int write_ex(BIO* bio, const char* data, size_t length, size_t* written) {
  BIO_clear_retry_flags(bio);
  queue_of(bio).append({reinterpret_cast<const uint8_t*>(data), length});
  *written = length;
  return 1;
}

int read_ex(BIO* bio, char* data, size_t length, size_t* read) {
  BIO_clear_retry_flags(bio);
  *read = queue_of(bio).take({reinterpret_cast<uint8_t*>(data), length});
  if (*read > 0 || length == 0) return 1;
  BIO_set_retry_read(bio);
  return 0;
}

long control(BIO* bio, int command, long, void*) {
  switch (command) {
    case BIO_CTRL_PENDING:
      return static_cast<long>(queue_of(bio).size());
    case BIO_CTRL_WPENDING:
      return 0;  // written bytes are queued at once
    case BIO_CTRL_FLUSH:
      return 1;
    default:
      return 0;
  }
}

int create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

struct MethodDeleter {
  void operator()(BIO_METHOD* method) const { BIO_meth_free(method); }
};

std::unique_ptr<BIO_METHOD, MethodDeleter> make_method() {
  std::unique_ptr<BIO_METHOD, MethodDeleter> method(
      BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "ferry ciphertext queue"));
  if (method && (BIO_meth_set_write_ex(method.get(), write_ex) != 1 ||
                 BIO_meth_set_read_ex(method.get(), read_ex) != 1 ||
                 BIO_meth_set_ctrl(method.get(), control) != 1 || BIO_meth_set_create(method.get(), create) != 1))
    method.reset();
  return method;
}

}  // namespace

BIO* new_queue_bio(ByteQueue& queue) {
  static const std::unique_ptr<BIO_METHOD, MethodDeleter> method = make_method();
  if (!method) return nullptr;
  BIO* bio = BIO_new(method.get());
  if (bio != nullptr) BIO_set_data(bio, &queue);
  return bio;
}

}  // namespace ferry::tls_openssl
