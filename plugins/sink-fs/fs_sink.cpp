// The `fs` sink: writes received files below a root directory. Each file is written into the root's
// temporary directory and renamed into place on commit, so it appears whole or not at all; abort deletes
// it, and a sink starting up deletes what a crashed one left there. Names that would leave the root are
// refused (see sink_path.hpp). The keys are described in fs_options.cpp and docs/configuration.md.
// Thread safety: files are independent; the sink's own state is immutable after construction, apart from
// the staging area's atomic counter.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <ferry/sink.hpp>

#include "fs_file.hpp"
#include "fs_options.hpp"
#include "held_file.hpp"
#include "os_error.hpp"
#include "sink_path.hpp"

namespace ferry::sink_fs {
namespace {

const char* policy_name(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::none:
      return "none";
    case FsyncPolicy::file:
      return "file";
    case FsyncPolicy::file_and_directory:
      break;
  }
  return "file+dir";
}

sdk::UniqueFd open_root(const std::string& root) {
  std::error_code error;
  std::filesystem::create_directories(root, error);
  if (error) fail_os(root, "cannot create the sink's root directory", error.value());
  sdk::UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) fail_os(root, "cannot open the sink's root directory", errno);
  return fd;
}

class FsSink final : public sdk::Sink {
 public:
  explicit FsSink(const sdk::Host& host) : options_(read_fs_options(host)) {
    root_.fd = open_root(options_.root);
    root_.fsync = options_.fsync;
    staging_ = std::make_unique<StagingArea>(root_.fd.get(), options_.root, options_.temp_dir, host);
    root_.staging = staging_.get();
    host.info("fs sink: writing below " + options_.root + " (fsync " + policy_name(options_.fsync) +
              ", temporary files in " + options_.temp_dir + ")");
  }

  static sdk::PluginInfo info() {
    return {"fs", "1.0.0", "Writes received files below a root directory, each one visible only once complete",
            fs_config_keys()};
  }

  std::unique_ptr<sdk::SinkFile> open(const sdk::FileInfo& file) override {
    SinkPath path = check_path(file.relative_path, options_.temp_dir);
    check_destination(path);
    return std::make_unique<FsFile>(root_, std::move(path), file);
  }

  std::optional<sdk::ExistingFile> lookup(std::string_view relative_path) override {
    return find_held_file(root_.fd.get(), check_path(relative_path, options_.temp_dir));
  }

 private:
  // Refuses at open, before any byte travels, what commit would refuse: a link or a non-directory on the
  // way, or a directory where the file should go.
  void check_destination(const SinkPath& path) const {
    const sdk::UniqueFd parent = open_parent(root_.fd.get(), path, MissingDirectories::stop);
    struct stat status {};
    if (parent.valid() && ::fstatat(parent.get(), path.name.c_str(), &status, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(status.st_mode))
      fail(FERRY_ERR_INVALID_ARGUMENT, path.text, "refused: a directory of that name exists");
  }

  FsOptions options_;
  FsRoot root_;
  std::unique_ptr<StagingArea> staging_;
};

}  // namespace
}  // namespace ferry::sink_fs

FERRY_SINK_PLUGIN(ferry::sink_fs::FsSink)
