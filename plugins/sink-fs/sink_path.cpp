#include "sink_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

#include "os_error.hpp"

namespace ferry::sink_fs {
namespace {

constexpr int directory_flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

void refuse(std::string_view path, std::string_view why) { fail(FERRY_ERR_PERMISSION, path, "refused: " + std::string(why)); }

bool is_symlink(int directory_fd, const std::string& name) {
  struct stat status {};
  return ::fstatat(directory_fd, name.c_str(), &status, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(status.st_mode);
}

std::string prefix(const SinkPath& path, size_t components) {
  std::string text;
  for (size_t i = 0; i < components; ++i) text += (i == 0 ? "" : "/") + path.directories[i];
  return text;
}

// Explains why openat of a directory component failed and throws.
[[noreturn]] void fail_component(int parent_fd, const SinkPath& path, size_t index, int errno_value) {
  const std::string& name = path.directories[index];
  if ((errno_value == ELOOP || errno_value == ENOTDIR) && is_symlink(parent_fd, name))
    refuse(path.text, prefix(path, index + 1) + " is a symbolic link; the fs sink never follows links below its root");
  if (errno_value == ENOTDIR)
    fail(FERRY_ERR_INVALID_ARGUMENT, path.text, prefix(path, index + 1) + " exists and is not a directory");
  fail_os(path.text, "cannot open directory " + prefix(path, index + 1), errno_value);
}

}  // namespace

SinkPath check_path(std::string_view path, std::string_view reserved) {
  if (path.empty()) fail(FERRY_ERR_INVALID_ARGUMENT, "\"\"", "refused: an empty path");
  if (path.find('\0') != std::string_view::npos) refuse(path, "the path contains a NUL byte");
  if (path.front() == '/') refuse(path, "an absolute path; paths are relative to the sink's root");
  SinkPath result{std::string(path), {}, {}};
  size_t start = 0;
  while (true) {
    const size_t end = path.find('/', start);
    const std::string_view component = path.substr(start, end == std::string_view::npos ? path.npos : end - start);
    if (component.empty()) refuse(path, "an empty path component (\"//\" or a trailing \"/\")");
    if (component == "..") refuse(path, "a \"..\" component would leave the sink's root");
    if (component == ".") refuse(path, "a \".\" component");
    if (end == std::string_view::npos) {
      result.name = std::string(component);
      break;
    }
    result.directories.emplace_back(component);
    start = end + 1;
  }
  const std::string_view first = result.directories.empty() ? result.name : result.directories.front();
  if (first == reserved) refuse(path, std::string(1, '"').append(reserved).append("\" is the sink's temporary directory"));
  return result;
}

sdk::UniqueFd open_parent(int root_fd, const SinkPath& path, MissingDirectories missing) {
  sdk::UniqueFd current(::fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
  if (!current.valid()) fail_os(path.text, "cannot duplicate the root's descriptor", errno);
  for (size_t i = 0; i < path.directories.size(); ++i) {
    const std::string& name = path.directories[i];
    sdk::UniqueFd next(::openat(current.get(), name.c_str(), directory_flags));
    if (!next.valid() && errno == ENOENT) {
      if (missing == MissingDirectories::stop) return {};
      if (::mkdirat(current.get(), name.c_str(), 0777) != 0 && errno != EEXIST)
        fail_os(path.text, "cannot create directory " + prefix(path, i + 1), errno);
      if (missing == MissingDirectories::create_durably && ::fsync(current.get()) != 0)
        fail_os(path.text, "cannot flush the directory holding " + prefix(path, i + 1), errno);
      next = sdk::UniqueFd(::openat(current.get(), name.c_str(), directory_flags));
    }
    if (!next.valid()) fail_component(current.get(), path, i, errno);
    current = std::move(next);
  }
  return current;
}

}  // namespace ferry::sink_fs
