#include "held_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include <cerrno>
#include <charconv>
#include <vector>

#include "os_error.hpp"

namespace ferry::sink_fs {
namespace {

constexpr const char* digest_attribute = "user.ferry.sha256";
constexpr size_t read_block = 1 << 20;

int64_t mtime_of(const struct stat& status) {
  return static_cast<int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec;
}

std::string record_text(const digest::Sha256Digest& digest, uint64_t size, int64_t mtime_ns) {
  return digest::to_hex(digest) + " " + std::to_string(size) + " " + std::to_string(mtime_ns);
}

// The digest recorded on fd, if it was recorded for this very size and mtime.
std::optional<digest::Sha256Digest> recorded_digest(int fd, uint64_t size, int64_t mtime_ns) {
  char text[128];
  const ssize_t length = ::fgetxattr(fd, digest_attribute, text, sizeof text);
  if (length <= 0) return std::nullopt;
  const std::string_view record(text, static_cast<size_t>(length));
  digest::Sha256Digest digest{};
  if (record.size() < 2 * digest.size()) return std::nullopt;
  for (size_t i = 0; i < digest.size(); ++i) {
    const char* begin = record.data() + 2 * i;
    if (std::from_chars(begin, begin + 2, digest[i], 16).ptr != begin + 2) return std::nullopt;
  }
  if (record != record_text(digest, size, mtime_ns)) return std::nullopt;
  return digest;
}

digest::Sha256Digest read_digest(int fd, const SinkPath& path) {
  digest::Sha256 sha;
  std::vector<uint8_t> block(read_block);
  uint64_t offset = 0;
  while (true) {
    const ssize_t got = ::pread(fd, block.data(), block.size(), static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) fail_os(path.text, "cannot read the held file at offset " + std::to_string(offset), errno);
    if (got == 0) return sha.finish();
    sha.update(std::span<const uint8_t>(block.data(), static_cast<size_t>(got)));
    offset += static_cast<uint64_t>(got);
  }
}

}  // namespace

void record_digest(int fd, const digest::Sha256Digest& digest, uint64_t size, int64_t mtime_ns) noexcept {
  try {
    const std::string text = record_text(digest, size, mtime_ns);
    ::fsetxattr(fd, digest_attribute, text.data(), text.size(), 0);
  } catch (const std::bad_alloc&) {
  }
}

std::optional<sdk::ExistingFile> find_held_file(int root_fd, const SinkPath& path) {
  const sdk::UniqueFd parent = open_parent(root_fd, path, MissingDirectories::stop);
  if (!parent.valid()) return std::nullopt;
  const sdk::UniqueFd fd(::openat(parent.get(), path.name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT || errno == ELOOP) return std::nullopt;
    fail_os(path.text, "cannot open the held file", errno);
  }
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) fail_os(path.text, "cannot inspect the held file", errno);
  if (!S_ISREG(status.st_mode)) return std::nullopt;
  const auto size = static_cast<uint64_t>(status.st_size);
  auto digest = recorded_digest(fd.get(), size, mtime_of(status));
  if (!digest) {
    digest = read_digest(fd.get(), path);
    struct stat after {};
    // Recorded only if the file did not change while it was read.
    if (::fstat(fd.get(), &after) == 0 && static_cast<uint64_t>(after.st_size) == size &&
        mtime_of(after) == mtime_of(status))
      record_digest(fd.get(), *digest, size, mtime_of(status));
  }
  return sdk::ExistingFile{size, std::vector<uint8_t>(digest->begin(), digest->end())};
}

}  // namespace ferry::sink_fs
