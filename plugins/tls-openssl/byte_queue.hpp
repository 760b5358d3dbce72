// Bytes in order, appended at one end and taken from the other: a session's ciphertext each way. Unlike
// OpenSSL's memory BIO, it neither zero-fills what it is about to overwrite nor moves what is left on
// every write, and it lends its memory, so that bytes can be written into it and read from it in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace ferry::tls_openssl {

class ByteQueue {
 public:
  size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  // The bytes queued, oldest first; valid until the next call that changes the queue.
  std::span<const uint8_t> front() const { return {storage_.get() + begin_, size()}; }
  void consume(size_t count);
  // Room for at least `wanted` bytes after the last, to be written and then committed.
  std::span<uint8_t> space(size_t wanted);
  void commit(size_t count) { end_ += count; }
  void append(std::span<const uint8_t> bytes);
  // Up to output.size() of the oldest bytes, consumed; returns how many.
  size_t take(std::span<uint8_t> output);

 private:
  std::unique_ptr<uint8_t[]> storage_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace ferry::tls_openssl
