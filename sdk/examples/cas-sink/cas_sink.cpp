// The `cas` sink: a content-addressed store. Each received file's bytes are kept once, as
// ROOT/objects/<first 2 hex digits>/<SHA-256 in hex>, and its name as ROOT/names/<relative path>, a small
// file holding that hex digest. A thousand copies of the same build artefact cost one object.
//
// The contract, as this sink meets it:
//   - open() creates a temporary file in ROOT/tmp; write() appends to it and feeds the running SHA-256,
//     so memory stays one chunk whatever the file's size.
//   - commit() moves the bytes to their object (rename(2), atomic; an object that exists already has the
//     same bytes, so the copy is dropped), then publishes the name by renaming a new name file over the
//     old one. A reader that goes through names/ sees the whole file or nothing.
//   - abort() deletes the temporary file. A sink starting up empties ROOT/tmp of what a killed node left,
//     so two sinks must not share a root.
//   - Files are independent: the only shared state is the immutable root and an atomic counter.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <ferry/posix.hpp>
#include <ferry/relative_path.hpp>
#include <ferry/sink.hpp>

#include "digest/sha256.hpp"

namespace {

namespace fs = std::filesystem;
using ferry::sdk::Error;

constexpr ferry_type_config_key config_keys[] = {
    {"root", FERRY_CONFIG_STRING, 1, 0, 0, "Directory of the store (objects/, names/, tmp/); created when missing"},
};

[[noreturn]] void fail_os(const std::string& what, int err) { throw ferry::sdk::os_error("cas sink: " + what, err); }

void write_all(int fd, std::span<const uint8_t> data, const std::string& what) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_os(what, errno);
    data = data.subspan(static_cast<size_t>(n));
  }
}

struct Store {
  fs::path root;
  std::atomic<uint64_t> counter{0};

  fs::path temporary() { return root / "tmp" / (std::to_string(::getpid()) + "-" + std::to_string(counter++)); }
  fs::path object(const std::string& hex) const { return root / "objects" / hex.substr(0, 2) / hex; }
  fs::path name(std::string_view relative_path) const { return root / "names" / fs::path(relative_path); }
};

class CasFile final : public ferry::sdk::SinkFile {
 public:
  CasFile(Store& store, const ferry::sdk::FileInfo& info)
      : store_(store), path_(info.relative_path), size_(info.size), temporary_(store.temporary()) {
    fd_.reset(::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd_.valid()) fail_os(path_ + ": cannot create a temporary file", errno);
  }

  void write(uint64_t offset, std::span<const uint8_t> data) override {
    if (offset != received_ || data.size() > size_ - received_)
      throw Error(FERRY_ERR_INVALID_ARGUMENT, "cas sink: " + path_ + ": data beyond the announced " +
                                                  std::to_string(size_) + " bytes or out of order");
    write_all(fd_.get(), data, path_ + ": cannot write");
    sha_.update(data);
    received_ += data.size();
  }

  void commit() override {
    if (received_ != size_)
      throw Error(FERRY_ERR_INVALID_ARGUMENT, "cas sink: " + path_ + ": committed after " +
                                                  std::to_string(received_) + " of " + std::to_string(size_) + " bytes");
    if (::fsync(fd_.get()) != 0) fail_os(path_ + ": cannot flush", errno);
    fd_.reset();
    const std::string hex = ferry::digest::to_hex(sha_.finish());
    const fs::path object = store_.object(hex);
    std::error_code error;
    fs::create_directories(object.parent_path(), error);
    if (error) fail_os(path_ + ": cannot create " + object.parent_path().string(), error.value());
    if (::rename(temporary_.c_str(), object.c_str()) != 0) fail_os(path_ + ": cannot store the object", errno);
    publish_name(hex);
  }

  void abort() noexcept override {
    fd_.reset();
    ::unlink(temporary_.c_str());
  }

 private:
  // Writes the name file beside the store's temporaries and renames it into place.
  void publish_name(const std::string& hex) {
    const fs::path name = store_.name(path_), temporary = store_.temporary();
    std::error_code error;
    fs::create_directories(name.parent_path(), error);
    if (error) fail_os(path_ + ": cannot create its directory", error.value());
    ferry::sdk::UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd.valid()) fail_os(path_ + ": cannot create its name file", errno);
    write_all(fd.get(), std::span(reinterpret_cast<const uint8_t*>(hex.data()), hex.size()), path_ + ": cannot write its name");
    fd.reset();
    if (::rename(temporary.c_str(), name.c_str()) != 0) {
      const int err = errno;
      ::unlink(temporary.c_str());
      fail_os(path_ + ": cannot publish its name", err);
    }
  }

  Store& store_;
  std::string path_;
  uint64_t size_;
  fs::path temporary_;
  ferry::sdk::UniqueFd fd_;
  uint64_t received_ = 0;
  ferry::digest::Sha256 sha_;
};

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  return bytes;
}

class CasSink final : public ferry::sdk::Sink {
 public:
  explicit CasSink(const ferry::sdk::Host& host) {
    const auto root = host.config_string("root");
    if (!root || root->empty()) throw Error(FERRY_ERR_CONFIG, "cas sink: the key root must name a directory");
    store_.root = *root;
    std::error_code error;
    fs::remove_all(store_.root / "tmp", error);
    for (const char* part : {"objects", "names", "tmp"}) {
      fs::create_directories(store_.root / part, error);
      if (error) fail_os(*root + ": cannot create " + part + "/", error.value());
    }
    host.info("cas sink: storing files in " + *root);
  }

  static ferry::sdk::PluginInfo info() {
    return {"cas", "1.0.0", "Keeps each received file's bytes once, by SHA-256, and its name beside", config_keys};
  }

  std::unique_ptr<ferry::sdk::SinkFile> open(const ferry::sdk::FileInfo& file) override {
    if (const auto problem = ferry::sdk::relative_path_problem(file.relative_path); !problem.empty())
      throw Error(FERRY_ERR_PERMISSION, "cas sink: refused the file name: " + std::string(problem));
    return std::make_unique<CasFile>(store_, file);
  }

  std::optional<ferry::sdk::ExistingFile> lookup(std::string_view relative_path) override {
    if (!ferry::sdk::relative_path_problem(relative_path).empty()) return std::nullopt;
    std::ifstream name(store_.name(relative_path));
    std::string hex;
    if (!(name >> hex) || hex.size() != 2 * ferry::digest::sha256_size) return std::nullopt;
    std::error_code error;
    const auto size = fs::file_size(store_.object(hex), error);
    if (error) return std::nullopt;
    return ferry::sdk::ExistingFile{size, from_hex(hex)};
  }

 private:
  Store store_;
};

}  // namespace

FERRY_SINK_PLUGIN(CasSink)
