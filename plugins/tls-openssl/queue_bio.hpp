// A BIO over a ByteQueue: OpenSSL reads the peer's ciphertext from one and writes its own into another,
// which the session lends the host. An empty queue is "retry later", never the end of the stream.
#pragma once

#include "byte_queue.hpp"

typedef struct bio_st BIO;

namespace ferry::tls_openssl {

// A new BIO reading from and writing to `queue`, which must outlive it; nullptr when OpenSSL cannot make one.
BIO* new_queue_bio(ByteQueue& queue);

}  // namespace ferry::tls_openssl
