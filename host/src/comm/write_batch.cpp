#include "comm/write_batch.hpp"

#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace ferry::comm {

namespace {

// What writev takes in one call; the rest of a batch goes in the next.
constexpr size_t kMaxIovecs = 64;
// The most one sendfile call moves (Linux's own limit).
constexpr uint64_t kMaxSendfile = 0x7ffff000;
constexpr std::array<uint8_t, 64u << 10> kZeros{};
// A flat batch copies payloads shorter than a TLS record: each piece is encrypted on its own, and a record
// per small payload would cost more than the copy.
constexpr uint64_t kFlatCopyBelow = 16u << 10;

// sendfile failed on the file rather than on the socket.
bool source_failed(int error) {
  return error != EAGAIN && error != EWOULDBLOCK && error != EINTR && error != EPIPE && error != ECONNRESET &&
         error != ENOTCONN && error != ETIMEDOUT;
}

}  // namespace

void WriteBatch::start(std::vector<uint8_t>& first) {
  bytes_.clear();
  bytes_.swap(first);
  pieces_.clear();
  lent_.clear();
  sealed_ = 0;
  in_pieces_ = 0;
  written_ = 0;
  piece_ = 0;
  piece_written_ = 0;
}

void WriteBatch::seal() {
  if (sealed_ == bytes_.size()) return;
  const uint64_t length = bytes_.size() - sealed_;
  pieces_.push_back(Piece{Kind::own, length, nullptr, sealed_});
  in_pieces_ += length;
  sealed_ = bytes_.size();
}

void WriteBatch::add_payload(const Payload& payload, uint64_t from, uint64_t length) {
  if (length == 0) return;
  const std::vector<uint8_t>* memory = payload.bytes();
  if (memory == nullptr && (flat_ || !sendfile_)) {
    read_shortfall_ += read_file(*payload.file(), from, length);
    return;
  }
  if (flat_ && length < kFlatCopyBelow) {
    bytes_.insert(bytes_.end(), memory->begin() + static_cast<ptrdiff_t>(from),
                  memory->begin() + static_cast<ptrdiff_t>(from + length));
    return;
  }
  seal();
  if (memory != nullptr) {
    if (auto lent = payload.lent(); lent && (lent_.empty() || lent_.back() != lent)) lent_.push_back(std::move(lent));
    pieces_.push_back(Piece{Kind::memory, length, memory->data() + from});
  } else {
    const FileRange& range = *payload.file();
    pieces_.push_back(Piece{Kind::file, length, nullptr, range.offset + from, range.file->get()});
  }
  in_pieces_ += length;
}

// Appends the range's bytes to bytes_, zeros where the file ends early or cannot be read; returns how many
// bytes are such zeros.
uint64_t WriteBatch::read_file(const FileRange& range, uint64_t from, uint64_t length) {
  const size_t start = bytes_.size();
  bytes_.resize(start + length);
  uint64_t done = 0;
  while (done < length) {
    const ssize_t got = ::pread(range.file->get(), bytes_.data() + start + done, length - done,
                                static_cast<off_t>(range.offset + from + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<uint64_t>(got);
  }
  std::memset(bytes_.data() + start + done, 0, length - done);
  return length - done;
}

void WriteBatch::gather(std::vector<iovec>& out) const {
  out.clear();
  uint64_t skip = piece_written_;
  for (size_t i = piece_; i < pieces_.size() && out.size() < kMaxIovecs; ++i) {
    const Piece& piece = pieces_[i];
    if (piece.kind == Kind::file) break;
    if (piece.kind == Kind::zeros) {
      for (uint64_t left = piece.length - skip; left > 0 && out.size() < kMaxIovecs;) {
        const size_t length = static_cast<size_t>(std::min<uint64_t>(left, kZeros.size()));
        out.push_back(iovec{const_cast<uint8_t*>(kZeros.data()), length});
        left -= length;
      }
    } else {
      const uint8_t* base = piece.kind == Kind::own ? bytes_.data() + piece.offset : piece.memory;
      out.push_back(iovec{const_cast<uint8_t*>(base + skip), static_cast<size_t>(piece.length - skip)});
    }
    skip = 0;
  }
}

void WriteBatch::flat_pieces(std::vector<std::span<const uint8_t>>& out) {
  seal();
  out.clear();
  for (const Piece& piece : pieces_)
    out.emplace_back(piece.kind == Kind::own ? bytes_.data() + piece.offset : piece.memory, piece.length);
}

void WriteBatch::advance(uint64_t count) {
  written_ += count;
  while (count > 0) {
    const uint64_t step = std::min(count, pieces_[piece_].length - piece_written_);
    piece_written_ += step;
    count -= step;
    if (piece_written_ == pieces_[piece_].length) {
      ++piece_;
      piece_written_ = 0;
    }
  }
}

WriteBatch::Written WriteBatch::write_to(int fd) {
  seal();
  Written result;
  while (!done()) {
    Piece& piece = pieces_[piece_];
    ssize_t sent = 0;
    if (piece.kind == Kind::file) {
      off_t offset = static_cast<off_t>(piece.offset + piece_written_);
      sent = ::sendfile(fd, piece.fd, &offset, static_cast<size_t>(std::min(piece.length - piece_written_, kMaxSendfile)));
      if (sent == 0 || (sent < 0 && source_failed(errno))) {
        // The file ends before the range does, or cannot be read: zeros keep the stream framed, and the
        // receiver's checks fail the file.
        result.shortfall += piece.length - piece_written_;
        piece.kind = Kind::zeros;
        piece.length -= piece_written_;
        piece_written_ = 0;
        continue;
      }
    } else {
      gather(iovecs_);
      sent = ::writev(fd, iovecs_.data(), static_cast<int>(iovecs_.size()));
    }
    if (sent < 0) {
      if (errno == EINTR) continue;
      result.error = errno == EWOULDBLOCK ? EAGAIN : errno;
      return result;
    }
    advance(static_cast<uint64_t>(sent));
    result.bytes += static_cast<uint64_t>(sent);
  }
  return result;
}

}  // namespace ferry::comm
