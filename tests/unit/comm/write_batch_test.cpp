// The write batch of a connection: encoded bytes, payloads in memory and file ranges go out in order,
// through writev and sendfile, across partial writes to a full socket; a file range past the file's end
// goes out as zeros and is reported; without sendfile file ranges are read into the batch; a flat batch
// (for TLS) hands out the same bytes as pieces in memory, large payloads where they live; lent bytes go
// out from memory once and are held only by the batch, a resend reading the file.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <span>
#include <vector>

#include "comm/write_batch.hpp"

using ferry::comm::FileRange;
using ferry::comm::LentBytes;
using ferry::comm::Payload;
using ferry::comm::WriteBatch;
using ferry::util::UniqueFd;

namespace {

std::vector<uint8_t> pattern(size_t size, uint8_t seed) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(seed + i * 13 + (i >> 10));
  return bytes;
}

// A file holding `content`, as the sender's open source file.
std::shared_ptr<const UniqueFd> file_with(const std::vector<uint8_t>& content) {
  auto fd = std::make_shared<UniqueFd>(::memfd_create("write-batch-test", MFD_CLOEXEC));
  REQUIRE(fd->valid());
  REQUIRE(::write(fd->get(), content.data(), content.size()) == static_cast<ssize_t>(content.size()));
  return fd;
}

struct SocketPair {
  UniqueFd writer, reader;
  SocketPair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
    writer.reset(fds[0]);
    reader.reset(fds[1]);
  }
  // Everything readable now.
  void drain(std::vector<uint8_t>& into) {
    uint8_t buffer[64 << 10];
    for (;;) {
      const ssize_t got = ::read(reader.get(), buffer, sizeof buffer);
      if (got <= 0) return;
      into.insert(into.end(), buffer, buffer + got);
    }
  }
};

// A flat batch's pieces, joined.
std::vector<uint8_t> flat_bytes(WriteBatch& batch) {
  std::vector<std::span<const uint8_t>> pieces;
  batch.flat_pieces(pieces);
  std::vector<uint8_t> bytes;
  for (const auto piece : pieces) bytes.insert(bytes.end(), piece.begin(), piece.end());
  return bytes;
}

void append(std::vector<uint8_t>& to, const std::vector<uint8_t>& bytes, size_t from, size_t length) {
  to.insert(to.end(), bytes.begin() + static_cast<ptrdiff_t>(from), bytes.begin() + static_cast<ptrdiff_t>(from + length));
}

}  // namespace

TEST_CASE("a batch writes its bytes, memory payloads and file ranges in order, across a full socket",
          "[comm][write_batch]") {
  // Without sendfile (a transport that does not allow it) the file ranges are read into the batch.
  const bool sendfile = GENERATE(true, false);
  const auto memory = pattern(300u << 10, 1);
  const auto file_content = pattern(900u << 10, 2);
  const Payload in_memory{memory};
  const Payload in_file{FileRange{file_with(file_content), 1000, 800u << 10}};

  WriteBatch batch(false, sendfile);
  std::vector<uint8_t> control{9, 9, 9};
  batch.start(control);
  CHECK(control.empty());
  std::vector<uint8_t> expected{9, 9, 9};
  for (int round = 0; round < 3; ++round) {
    const std::vector<uint8_t> header{static_cast<uint8_t>(round), 0xaa, 0xbb};
    batch.bytes().insert(batch.bytes().end(), header.begin(), header.end());
    expected.insert(expected.end(), header.begin(), header.end());
    batch.add_payload(in_memory, 100, 200u << 10);  // in two pieces, as a codec may frame it
    batch.add_payload(in_memory, 100 + (200u << 10), 50u << 10);
    append(expected, memory, 100, 250u << 10);
    batch.add_payload(in_file, 0, 800u << 10);
    append(expected, file_content, 1000, 800u << 10);
  }
  batch.bytes().push_back(0xee);
  expected.push_back(0xee);
  CHECK(batch.size() == expected.size());
  CHECK(batch.take_read_shortfall() == 0);

  // The socket takes far less than the batch at once: every partial write must resume where it stopped.
  SocketPair pair;
  std::vector<uint8_t> received;
  int full = 0;
  for (int attempt = 0; attempt < 10000 && !batch.done(); ++attempt) {
    const auto written = batch.write_to(pair.writer.get());
    CHECK(written.shortfall == 0);
    if (written.error == EAGAIN) ++full;
    REQUIRE((written.error == 0 || written.error == EAGAIN));
    pair.drain(received);
  }
  REQUIRE(batch.done());
  pair.drain(received);
  CHECK(full > 0);
  CHECK(received == expected);
}

TEST_CASE("a file range past the end of its file goes out as zeros, and the shortfall is reported",
          "[comm][write_batch]") {
  const auto content = pattern(10000, 3);
  const Payload range{FileRange{file_with(content), 4000, 10000}};  // 6000 bytes exist, 4000 do not
  std::vector<uint8_t> expected;
  append(expected, content, 4000, 6000);
  expected.resize(10000, 0);

  SECTION("sent with sendfile") {
    WriteBatch batch(false, true);
    std::vector<uint8_t> none;
    batch.start(none);
    batch.add_payload(range, 0, 10000);
    SocketPair pair;
    const auto written = batch.write_to(pair.writer.get());
    CHECK(written.error == 0);
    CHECK(written.bytes == 10000);
    CHECK(written.shortfall == 4000);
    CHECK(batch.done());
    std::vector<uint8_t> received;
    pair.drain(received);
    CHECK(received == expected);
  }
  SECTION("read into a flat batch") {
    WriteBatch batch(true, false);
    std::vector<uint8_t> control{5};
    batch.start(control);
    batch.add_payload(range, 0, 10000);
    CHECK(batch.take_read_shortfall() == 4000);
    CHECK(batch.take_read_shortfall() == 0);
    expected.insert(expected.begin(), 5);
    CHECK(flat_bytes(batch) == expected);
    batch.mark_written();
    CHECK(batch.done());
  }
}

TEST_CASE("a flat batch holds the bytes, small payloads copied, file ranges read, large payloads referred to",
          "[comm][write_batch]") {
  const auto small = pattern(5000, 4);
  const auto large = pattern(100000, 6);
  const auto content = pattern(7000, 5);
  WriteBatch batch(true, false);
  std::vector<uint8_t> control;
  batch.start(control);
  batch.bytes().push_back(1);
  batch.add_payload(Payload{small}, 10, 4000);
  batch.bytes().push_back(2);
  batch.add_payload(Payload{FileRange{file_with(content), 100, 6000}}, 500, 5500);
  batch.bytes().push_back(3);
  const Payload held{large};
  batch.add_payload(held, 1000, 90000);
  batch.bytes().push_back(4);
  std::vector<uint8_t> expected{1};
  append(expected, small, 10, 4000);
  expected.push_back(2);
  append(expected, content, 600, 5500);
  expected.push_back(3);
  append(expected, large, 1000, 90000);
  expected.push_back(4);
  CHECK(batch.size() == expected.size());
  CHECK(batch.take_read_shortfall() == 0);
  CHECK(flat_bytes(batch) == expected);

  std::vector<std::span<const uint8_t>> pieces;
  batch.flat_pieces(pieces);
  REQUIRE(pieces.size() == 3);
  CHECK(pieces[1].data() == held.bytes()->data() + 1000);
  CHECK(pieces[1].size() == 90000);
}

TEST_CASE("lent bytes go out from memory, held by the batch until its next start; a resend reads the file",
          "[comm][write_batch]") {
  // The memory and the file differ here, to show which one each write took.
  auto memory = std::make_shared<const std::vector<uint8_t>>(pattern(200u << 10, 3));
  const auto file_content = pattern(200u << 10, 4);
  Payload payload{LentBytes{memory, FileRange{file_with(file_content), 0, 200u << 10}}};
  const std::weak_ptr<const std::vector<uint8_t>> lent = memory;
  memory.reset();

  const auto send = [](WriteBatch& batch, const Payload& what) {
    std::vector<uint8_t> none;
    batch.start(none);
    batch.add_payload(what, 0, what.size());
    SocketPair pair;
    std::vector<uint8_t> received;
    for (int attempt = 0; attempt < 10000 && !batch.done(); ++attempt) {
      const auto written = batch.write_to(pair.writer.get());
      REQUIRE((written.error == 0 || written.error == EAGAIN));
      pair.drain(received);
    }
    REQUIRE(batch.done());
    pair.drain(received);
    return received;
  };
  WriteBatch batch(false, true);
  CHECK(send(batch, payload) == pattern(200u << 10, 3));
  payload.drop_lent();  // what a connection does once the payload is in a batch
  CHECK(payload.bytes() == nullptr);
  REQUIRE(payload.file() != nullptr);
  CHECK_FALSE(lent.expired());  // the batch still refers to it

  // The resend, after a reconnect, goes out from the file; the new batch let the lent bytes go.
  CHECK(send(batch, payload) == file_content);
  CHECK(lent.expired());
}
