// What one write of a connection carries: the encoded messages, whose bytes the batch owns, and between
// them the messages' payloads where they live — memory held by the delivery queue, or ranges of open
// files. In the clear it goes out with writev and sendfile, so a payload is never copied in this process
// (a transport whose descriptors do not take sendfile has file ranges read into the batch). Over TLS the
// plugin encrypts from memory: a flat batch reads file ranges into its own bytes and hands out the pieces
// in memory, payloads where they live, for the plugin to encrypt in order.
//
// A payload is referred to, not owned: the delivery queue keeps the message, and so its payload, until the
// peer acknowledges it, which it cannot do before the batch holding it has been written. Lent bytes
// (LentBytes) are the exception: the queue gives them back once they are in a batch, which holds them
// until the next start(). No Asio here.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "comm/payload.hpp"

namespace ferry::comm {

class WriteBatch {
 public:
  WriteBatch(bool flat, bool sendfile) : flat_(flat), sendfile_(sendfile) {}

  // Starts a new batch whose first bytes are `first` (encoded control messages); `first` gets the old
  // buffer back, empty, so that neither allocates again.
  void start(std::vector<uint8_t>& first);
  // The codec appends encoded messages and payload prefixes here.
  std::vector<uint8_t>& bytes() { return bytes_; }
  // `length` bytes of payload from `from` on, after the bytes encoded so far.
  void add_payload(const Payload& payload, uint64_t from, uint64_t length);

  uint64_t size() const { return in_pieces_ + (bytes_.size() - sealed_); }
  bool empty() const { return size() == 0; }
  // Everything added has been written (or nothing was added).
  bool done() const { return written_ == size(); }

  struct Written {
    uint64_t bytes = 0;
    int error = 0;          // errno of the socket's failure; EAGAIN when it is full
    uint64_t shortfall = 0;  // bytes of file ranges past their file's end, sent as zeros
  };
  // Writes what is left to the non-blocking socket `fd` until it is all written or the socket is full.
  // Not for a flat batch.
  Written write_to(int fd);
  // A flat batch, written whole: its pieces in order into `out`, then mark_written() once they are.
  void flat_pieces(std::vector<std::span<const uint8_t>>& out);
  void mark_written() { written_ = size(); }
  // Bytes of file ranges read into the batch (flat, or without sendfile) that lay past their file's end
  // or could not be read, added as zeros; counted from the last call.
  uint64_t take_read_shortfall() { return std::exchange(read_shortfall_, 0); }

 private:
  enum class Kind : uint8_t { own, memory, file, zeros };
  struct Piece {
    Kind kind;
    uint64_t length;
    const uint8_t* memory = nullptr;  // memory
    uint64_t offset = 0;              // own: into bytes_; file: into the file
    int fd = -1;                      // file
  };
  void seal();
  void gather(std::vector<iovec>& out) const;
  void advance(uint64_t count);
  uint64_t read_file(const FileRange& range, uint64_t from, uint64_t length);

  bool flat_;
  bool sendfile_;
  std::vector<uint8_t> bytes_;
  std::vector<Piece> pieces_;
  size_t sealed_ = 0;      // bytes_ up to here are in pieces_
  uint64_t in_pieces_ = 0;  // the length of pieces_
  uint64_t written_ = 0;
  size_t piece_ = 0;           // the piece being written
  uint64_t piece_written_ = 0;  // of it
  uint64_t read_shortfall_ = 0;
  std::vector<iovec> iovecs_;
  std::vector<std::shared_ptr<const std::vector<uint8_t>>> lent_;  // lent bytes this batch refers to
};

}  // namespace ferry::comm
