// A sink that keeps, of each committed file, only its size and SHA-256: enough for its lookup to tell a
// reader exactly what was committed, in a few bytes per file. Built correct, and once per FERRY_TEST_*
// case with one rule of the sink contract broken, so that tests show the conformance kit catches each.
#include <ferry/relative_path.hpp>
#include <ferry/sink.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "digest/sha256.hpp"

namespace {

using ferry::sdk::Error;

class Store {
 public:
  void publish(const std::string& path, uint64_t size, std::vector<uint8_t> digest) {
    std::lock_guard lock(mutex_);
    files_[path] = ferry::sdk::ExistingFile{size, std::move(digest)};
  }
  std::optional<ferry::sdk::ExistingFile> find(std::string_view path) {
    std::lock_guard lock(mutex_);
    const auto found = files_.find(path);
    if (found == files_.end()) return std::nullopt;
    return found->second;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, ferry::sdk::ExistingFile, std::less<>> files_;
};

std::vector<uint8_t> to_vector(const ferry::digest::Sha256Digest& digest) { return {digest.begin(), digest.end()}; }

class DigestFile final : public ferry::sdk::SinkFile {
 public:
  DigestFile(Store& store, std::string path, uint64_t size) : store_(store), path_(std::move(path)), size_(size) {}

  void write(uint64_t offset, std::span<const uint8_t> data) override {
    if (offset != received_) throw Error(FERRY_ERR_INVALID_ARGUMENT, "digest sink: " + path_ + ": chunk out of order");
    if (data.size() > size_ - received_)
      throw Error(FERRY_ERR_INVALID_ARGUMENT, "digest sink: " + path_ + ": more data than announced");
    sha_.update(data);
    received_ += data.size();
#ifdef FERRY_TEST_BUFFERS_FILES
    buffered_.insert(buffered_.end(), data.begin(), data.end());
#endif
#ifdef FERRY_TEST_VISIBLE_BEFORE_COMMIT
    store_.publish(path_, received_, {});
#endif
  }

  void commit() override {
#ifndef FERRY_TEST_COMMITS_INCOMPLETE
    if (received_ != size_)
      throw Error(FERRY_ERR_INVALID_ARGUMENT, "digest sink: " + path_ + ": committed after " +
                                                  std::to_string(received_) + " of " + std::to_string(size_) + " bytes");
#endif
    store_.publish(path_, received_, to_vector(sha_.finish()));
  }

  void abort() noexcept override {
#ifdef FERRY_TEST_KEEPS_ABORTED
    store_.publish(path_, received_, to_vector(sha_.finish()));
#endif
  }

 private:
  Store& store_;
  std::string path_;
  uint64_t size_;
  uint64_t received_ = 0;
  ferry::digest::Sha256 sha_;
#ifdef FERRY_TEST_BUFFERS_FILES
  std::vector<uint8_t> buffered_;
#endif
};

class DigestSink final : public ferry::sdk::Sink {
 public:
  explicit DigestSink(const ferry::sdk::Host&) {}

  static ferry::sdk::PluginInfo info() {
    return {"digest", "1.0.0", "Keeps the size and SHA-256 of each committed file (for the conformance kit's tests)"};
  }

  std::unique_ptr<ferry::sdk::SinkFile> open(const ferry::sdk::FileInfo& file) override {
#ifndef FERRY_TEST_ACCEPTS_ANY_NAME
    if (const auto problem = ferry::sdk::relative_path_problem(file.relative_path); !problem.empty())
      throw Error(FERRY_ERR_PERMISSION, "digest sink: refused: " + std::string(problem));
#endif
    return std::make_unique<DigestFile>(store_, std::string(file.relative_path), file.size);
  }

  std::optional<ferry::sdk::ExistingFile> lookup(std::string_view path) override { return store_.find(path); }

 private:
  Store store_;
};

}  // namespace

FERRY_SINK_PLUGIN(DigestSink)
