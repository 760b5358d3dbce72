// The session driver's reads: up to kReadsAhead chunks read at once on the worker pool, whatever order the
// pool finishes them in, reach the session and the peer in file order, with the bytes of their offsets.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "node/chunk_buffers.hpp"
#include "node/session_driver.hpp"
#include "node/worker_pool.hpp"

using namespace ferry;
using node::ChunkBuffer;
using node::SessionDriver;

namespace {

constexpr uint64_t kChunk = 4096;

// Runs the driver's blocking work when the test says, in the order it says; sends are recorded.
class FakeHost : public node::DriverHost {
 public:
  struct Sent {
    stream::StreamMessage message;
    std::vector<uint8_t> payload;
  };

  void send(const std::string&, const stream::StreamMessage& message, comm::Payload payload,
            comm::Completion) override {
    std::vector<uint8_t> bytes;
    if (payload.bytes()) bytes = *payload.bytes();
    sent.push_back({message, std::move(bytes)});
  }
  void post_blocking(std::function<void()> task) override { blocking.push_back(std::move(task)); }
  std::shared_ptr<node::SerialQueue> serial_queue() override { return std::make_shared<node::SerialQueue>(pool); }
  std::shared_ptr<node::ServiceLock> lock() override { return lock_; }
  bool reserve_send_bytes(uint64_t) override { return true; }
  void release_send_bytes(uint64_t) override {}
  std::chrono::steady_clock::duration throttle(uint64_t) override { return {}; }
  void after(std::chrono::steady_clock::duration, std::function<void()> work) override { work(); }
  bool before_chunk_sent(std::span<uint8_t>) override { return false; }
  std::shared_ptr<ChunkBuffer> send_buffer(uint64_t length) override { return buffers->take(length); }
  bool sends_from_memory(const std::string&) override { return true; }  // so that the test sees the bytes
  void finished(SessionDriver&) override {}

  // The newest task first: reads finish in the reverse of the order they were asked.
  void run_newest_first() {
    while (!blocking.empty()) {
      auto tasks = std::move(blocking);
      blocking.clear();
      std::reverse(tasks.begin(), tasks.end());
      for (auto& task : tasks) task();
    }
  }

  std::vector<Sent> sent;
  std::vector<std::function<void()>> blocking;
  node::WorkerPool pool{1};
  std::shared_ptr<node::ServiceLock> lock_ = std::make_shared<node::ServiceLock>();
  std::shared_ptr<node::ChunkBuffers> buffers = std::make_shared<node::ChunkBuffers>();
};

std::vector<uint8_t> content_of_size(size_t size) {
  std::vector<uint8_t> bytes(size);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(i * 31 + i / kChunk);
  return bytes;
}

}  // namespace

TEST_CASE("chunks read ahead and finished out of order are sent in file order with their own bytes",
          "[host][session_driver]") {
  const auto content = content_of_size(5 * kChunk + 100);
  char path[] = "/tmp/ferry-driver-reads-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
  ::close(fd);

  FakeHost host;
  stream::Settings settings;
  settings.chunk_size = kChunk;
  settings.max_retries = 2;
  const stream::SessionId id{};
  auto session = std::make_unique<stream::Session>(
      id, settings, std::vector<stream::SourceFile>{{"data", path, content.size(), 0644, 0, {}, {}}},
      std::vector<std::string>{});
  auto driver = std::make_shared<SessionDriver>(host, "peer", std::move(session), nullptr, "", nullptr);
  host.lock_->run([&] {
    driver->session().start();
    driver->run();
    driver->on_message(stream::PrepareAck{id, 0, 0});
    driver->run();
  });
  CHECK(host.blocking.size() == stream::SendSide::kReadsAhead);
  host.run_newest_first();
  ::unlink(path);

  std::vector<uint64_t> offsets;
  for (const auto& sent : host.sent) {
    const auto* chunk = std::get_if<stream::Chunk>(&sent.message);
    if (chunk == nullptr) continue;
    offsets.push_back(chunk->offset);
    const std::vector<uint8_t> expected(content.begin() + static_cast<ptrdiff_t>(chunk->offset),
                                        content.begin() + static_cast<ptrdiff_t>(chunk->offset + sent.payload.size()));
    CHECK(sent.payload == expected);
  }
  CHECK(offsets == std::vector<uint64_t>{0, kChunk, 2 * kChunk, 3 * kChunk, 4 * kChunk, 5 * kChunk});
  REQUIRE(!host.sent.empty());
  CHECK(std::holds_alternative<stream::FileDone>(host.sent.back().message));
  CHECK(driver->session().state() == stream::State::streaming);
}
