#include "fs_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "held_file.hpp"
#include "os_error.hpp"

namespace ferry::sink_fs {
namespace {

bool all_zero(std::span<const uint8_t> data) {
  return data.empty() || (data[0] == 0 && std::memcmp(data.data(), data.data() + 1, data.size() - 1) == 0);
}

}  // namespace

FsFile::FsFile(const FsRoot& root, SinkPath path, const sdk::FileInfo& info)
    : root_(root),
      path_(std::move(path)),
      size_(info.size),
      mode_(info.mode & 0777),
      mtime_ns_(info.mtime_ns),
      expected_digest_(info.digest.begin(), info.digest.end()) {
  if (!expected_digest_.empty() && expected_digest_.size() != digest::sha256_size)
    fail(FERRY_ERR_INVALID_ARGUMENT, path_.text,
         "expected a " + std::to_string(digest::sha256_size) + "-byte SHA-256 digest, got " +
             std::to_string(expected_digest_.size()) + " bytes");
  temp_ = root_.staging->create(path_.text);
}

FsFile::~FsFile() { abort(); }

void FsFile::write(uint64_t offset, std::span<const uint8_t> data) {
  if (offset != received_)
    fail(FERRY_ERR_INVALID_ARGUMENT, path_.text,
         "chunk at offset " + std::to_string(offset) + ", expected " + std::to_string(received_));
  if (data.size() > size_ - received_)
    fail(FERRY_ERR_INVALID_ARGUMENT, path_.text, "more data than the announced " + std::to_string(size_) + " bytes");
  if (!all_zero(data)) write_all(offset, data);
  sha_.update(data);
  received_ += data.size();
}

void FsFile::write_all(uint64_t offset, std::span<const uint8_t> data) {
  while (!data.empty()) {
    const ssize_t written = ::pwrite(temp_.fd.get(), data.data(), data.size(), static_cast<off_t>(offset));
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) fail_os(path_.text, "cannot write at offset " + std::to_string(offset), errno);
    data = data.subspan(static_cast<size_t>(written));
    offset += static_cast<uint64_t>(written);
  }
}

void FsFile::commit() {
  if (received_ != size_)
    fail(FERRY_ERR_INVALID_ARGUMENT, path_.text,
         "committed after " + std::to_string(received_) + " of " + std::to_string(size_) + " bytes");
  const digest::Sha256Digest received = sha_.finish();
  check_digest(received);
  // Trailing zeros were skipped, not written: the length comes from here.
  if (::ftruncate(temp_.fd.get(), static_cast<off_t>(size_)) != 0)
    fail_os(path_.text, "cannot set the size to " + std::to_string(size_), errno);
  set_attributes();
  record_digest(temp_.fd.get(), received, size_, mtime_ns_);
  if (root_.fsync != FsyncPolicy::none && ::fsync(temp_.fd.get()) != 0)
    fail_os(path_.text, "cannot flush the file to disk", errno);
  rename_into_place();
}

void FsFile::check_digest(const digest::Sha256Digest& received) const {
  if (expected_digest_.empty() || std::equal(received.begin(), received.end(), expected_digest_.begin())) return;
  fail(FERRY_ERR_PROTOCOL, path_.text,
       "the received bytes have SHA-256 " + digest::to_hex(received) + ", the sender announced " +
           digest::to_hex(expected_digest_));
}

void FsFile::set_attributes() {
  if (::fchmod(temp_.fd.get(), mode_) != 0) fail_os(path_.text, "cannot set the mode", errno);
  struct timespec times[2] = {{0, UTIME_OMIT},
                              {static_cast<time_t>(mtime_ns_ / 1'000'000'000), static_cast<long>(mtime_ns_ % 1'000'000'000)}};
  if (times[1].tv_nsec < 0) {  // before 1970: timespec wants a nanosecond part in [0, 1s)
    times[1].tv_sec -= 1;
    times[1].tv_nsec += 1'000'000'000;
  }
  if (::futimens(temp_.fd.get(), times) != 0) fail_os(path_.text, "cannot set the modification time", errno);
}

void FsFile::rename_into_place() {
  const MissingDirectories missing = root_.fsync == FsyncPolicy::file_and_directory
                                         ? MissingDirectories::create_durably
                                         : MissingDirectories::create;
  const sdk::UniqueFd parent = open_parent(root_.fd.get(), path_, missing);
  if (::renameat(root_.staging->fd(), temp_.name.c_str(), parent.get(), path_.name.c_str()) != 0)
    fail_os(path_.text, "cannot move the finished file into place", errno);
  finished_ = true;
  if (root_.fsync != FsyncPolicy::file_and_directory || ::fsync(parent.get()) == 0) return;
  // The contract says a failed commit leaves nothing visible, so the file goes again.
  const int flush_error = errno;
  ::unlinkat(parent.get(), path_.name.c_str(), 0);
  fail_os(path_.text, "cannot flush its directory to disk (the file was removed again)", flush_error);
}

void FsFile::abort() noexcept {
  if (finished_) return;
  finished_ = true;
  temp_.fd.reset();
  root_.staging->remove(temp_.name);
}

}  // namespace ferry::sink_fs
