#include "node/source_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "util/unique_fd.hpp"

namespace ferry::node {

namespace fs = std::filesystem;

namespace {

std::string add_file(const fs::path& source, const std::string& wire_path, std::vector<stream::SourceFile>& out) {
  util::UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return "cannot open '" + source.string() + "': " + std::strerror(errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return "cannot read '" + source.string() + "': " + std::strerror(errno);
  stream::SourceFile file;
  file.path = wire_path;
  file.source = source.string();
  file.size = static_cast<uint64_t>(info.st_size);
  file.mode = info.st_mode & 07777;
  file.mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
  file.ranges = data_ranges(fd.get(), file.size);
  out.push_back(std::move(file));
  return {};
}

}  // namespace

std::vector<stream::ByteRange> data_ranges(int fd, uint64_t size) {
  std::vector<stream::ByteRange> ranges;
  off_t position = 0;
  while (static_cast<uint64_t>(position) < size) {
    const off_t data = ::lseek(fd, position, SEEK_DATA);
    if (data < 0) break;  // ENXIO: only a hole is left; other errors: treat the rest as a hole too
    off_t hole = ::lseek(fd, data, SEEK_HOLE);
    if (hole < 0 || static_cast<uint64_t>(hole) > size) hole = static_cast<off_t>(size);
    if (hole > data) ranges.push_back({static_cast<uint64_t>(data), static_cast<uint64_t>(hole - data)});
    position = hole;
  }
  if (ranges.size() == 1 && ranges.front().offset == 0 && ranges.front().length == size) return {};
  // A file that is all hole still needs one range (an empty list means the whole file): its last byte,
  // which reads as zero.
  if (ranges.empty() && size > 0) ranges.push_back({size - 1, 1});
  return ranges;
}

std::string list_source_files(const fs::path& path, std::vector<stream::SourceFile>& out) {
  std::error_code error;
  const auto status = fs::symlink_status(path, error);
  if (error) return "cannot read '" + path.string() + "': " + error.message();
  fs::path clean = fs::absolute(path, error).lexically_normal();
  if (!clean.has_filename()) clean = clean.parent_path();
  const std::string base = clean.filename().string();
  if (base.empty()) return "'" + path.string() + "' has no name to send its files under";
  if (fs::is_regular_file(status)) return add_file(path, base, out);
  if (!fs::is_directory(status)) return "'" + path.string() + "' is neither a regular file nor a directory";
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(path, error), end; !error && it != end; it.increment(error))
    if (it->is_regular_file(error) && !it->is_symlink(error)) found.push_back(it->path());
  if (error) return "cannot list '" + path.string() + "': " + error.message();
  std::sort(found.begin(), found.end());
  for (const auto& file : found) {
    const std::string wire = base + "/" + file.lexically_relative(path).generic_string();
    if (std::string failure = add_file(file, wire, out); !failure.empty()) return failure;
  }
  return {};
}

}  // namespace ferry::node
