// The `null` sink: accepts files and throws their bytes away, so benchmarks measure ferry and not a disk.
// It still holds the host to the sink contract — names that stay inside a sink, chunks in order, no more
// and no fewer bytes than the file header announced — so a host bug shows up here first.
#include <ferry/relative_path.hpp>
#include <ferry/sink.hpp>

#include <string>

namespace {

class NullFile final : public ferry::sdk::SinkFile {
 public:
  NullFile(std::string path, uint64_t size) : path_(std::move(path)), size_(size) {}

  void write(uint64_t offset, std::span<const uint8_t> data) override {
    if (offset != received_)
      throw ferry::sdk::Error(FERRY_ERR_INVALID_ARGUMENT, "null sink: " + path_ + ": chunk at offset " +
                                                               std::to_string(offset) + ", expected " +
                                                               std::to_string(received_));
    if (data.size() > size_ - received_)
      throw ferry::sdk::Error(FERRY_ERR_INVALID_ARGUMENT,
                              "null sink: " + path_ + ": more data than the announced " + std::to_string(size_) + " bytes");
    received_ += data.size();
  }

  void commit() override {
    if (received_ != size_)
      throw ferry::sdk::Error(FERRY_ERR_INVALID_ARGUMENT, "null sink: " + path_ + ": committed after " +
                                                               std::to_string(received_) + " of " +
                                                               std::to_string(size_) + " bytes");
  }

  void abort() noexcept override {}

 private:
  std::string path_;
  uint64_t size_;
  uint64_t received_ = 0;
};

class NullSink final : public ferry::sdk::Sink {
 public:
  explicit NullSink(const ferry::sdk::Host&) {}

  static ferry::sdk::PluginInfo info() {
    return {"null", "1.0.0", "Discards received files, counting files and bytes (for benchmarks and tests)"};
  }

  std::unique_ptr<ferry::sdk::SinkFile> open(const ferry::sdk::FileInfo& file) override {
    if (const auto problem = ferry::sdk::relative_path_problem(file.relative_path); !problem.empty())
      throw ferry::sdk::Error(FERRY_ERR_PERMISSION, "null sink: refused the file name: " + std::string(problem));
    return std::make_unique<NullFile>(std::string(file.relative_path), file.size);
  }
};

}  // namespace

FERRY_SINK_PLUGIN(NullSink)
