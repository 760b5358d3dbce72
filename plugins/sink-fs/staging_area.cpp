#include "staging_area.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>
#include <system_error>

#include "os_error.hpp"

namespace ferry::sink_fs {
namespace {

constexpr int create_attempts = 16;

}  // namespace

StagingArea::StagingArea(int root_fd, const std::string& root, std::string name, const sdk::Host& host)
    : name_(std::move(name)) {
  const std::string shown = root + "/" + name_;
  if (::mkdirat(root_fd, name_.c_str(), 0700) != 0 && errno != EEXIST)
    fail_os(shown, "cannot create the temporary directory", errno);
  directory_ = sdk::UniqueFd(::openat(root_fd, name_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!directory_.valid()) fail_os(shown, "cannot open the temporary directory", errno);
  if (::flock(directory_.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      fail(FERRY_ERR_CONFIG, shown,
           "is in use by another fs sink (in this or another process); two sinks cannot share a root");
    fail_os(shown, "cannot lock the temporary directory", errno);
  }
  delete_leftovers(root, host);
}

void StagingArea::delete_leftovers(const std::string& root, const sdk::Host& host) {
  // fdopendir takes ownership of the descriptor it is given, so it gets a copy.
  const int copy = ::fcntl(directory_.get(), F_DUPFD_CLOEXEC, 0);
  DIR* listing = copy >= 0 ? ::fdopendir(copy) : nullptr;
  if (listing == nullptr) {
    if (copy >= 0) ::close(copy);
    fail_os(root + "/" + name_, "cannot list the temporary directory", errno);
  }
  uint64_t deleted = 0;
  while (const dirent* entry = ::readdir(listing)) {
    const std::string_view entry_name = entry->d_name;
    if (entry_name == "." || entry_name == "..") continue;
    if (::unlinkat(directory_.get(), entry->d_name, 0) == 0)
      ++deleted;
    else
      host.warn("fs sink: cannot delete leftover " + root + "/" + name_ + "/" + std::string(entry_name) + ": " +
                std::generic_category().message(errno));
  }
  ::closedir(listing);
  if (deleted > 0)
    host.info("fs sink: deleted " + std::to_string(deleted) + " uncommitted file(s) left in " + root + "/" + name_);
}

TempFile StagingArea::create(std::string_view for_path) {
  for (int attempt = 0; attempt < create_attempts; ++attempt) {
    std::string temp_name = std::to_string(::getpid()) + "-" + std::to_string(next_.fetch_add(1)) + ".part";
    sdk::UniqueFd fd(::openat(directory_.get(), temp_name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.valid()) return {std::move(fd), std::move(temp_name)};
    if (errno != EEXIST) fail_os(for_path, "cannot create a temporary file in " + name_, errno);
  }
  fail(FERRY_ERR_IO, for_path, "cannot find a free temporary file name in " + name_);
}

void StagingArea::remove(const std::string& temp_name) noexcept { ::unlinkat(directory_.get(), temp_name.c_str(), 0); }

}  // namespace ferry::sink_fs
