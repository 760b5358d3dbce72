// A full or read-only target: the error that reaches the host is the fs sink's own sentence, naming the file
// and the operating system's reason. Each case runs in a child process with a private mount namespace, on
// a small tmpfs of its own (a user namespace gives an unprivileged user the right to mount one).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "fs_harness.hpp"
#include "plugin/catalog.hpp"

using namespace ferry::test;

namespace {

constexpr int unavailable_status = 77;

bool write_text(const char* path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  return static_cast<bool>(out.flush());
}

bool enter_private_mount_namespace() {
  if (::unshare(CLONE_NEWNS) != 0) {
    const uid_t uid = ::getuid();
    const gid_t gid = ::getgid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return false;
    if (!write_text("/proc/self/setgroups", "deny") || !write_text("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
        !write_text("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1"))
      return false;
  }
  return ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
}

using SinkOrError = std::variant<std::shared_ptr<ferry::plugin::SinkInstance>, ferry::plugin::PluginError>;

SinkOrError start_fs(const std::filesystem::path& root) {
  const auto catalog = ferry::plugin::Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, ferry::plugin::FilePolicy{false, 0});
  auto library = catalog.find("sink", "fs");
  if (!library) throw std::runtime_error("no fs plugin in " FERRY_PLUGIN_OUTPUT_DIR);
  return ferry::plugin::SinkInstance::create(library, "test", fs_values(root), nullptr);
}

// Runs body in a child process in its own mount namespace, with a tmpfs of tmpfs_options mounted on
// mount_point and an fs sink started at mount_point/root, and returns the text body produced; nullopt when
// this system allows no private mounts. Catch's macros must not run in the child, so body reports through
// its return value.
std::optional<std::string> on_private_tmpfs(const std::filesystem::path& mount_point, const std::string& tmpfs_options,
                                            const std::function<std::string(ferry::plugin::SinkInstance&)>& body) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    if (!enter_private_mount_namespace() ||
        ::mount("ferry-test", mount_point.c_str(), "tmpfs", 0, tmpfs_options.c_str()) != 0)
      ::_exit(unavailable_status);
    std::string text;
    try {
      auto started = start_fs(mount_point / "root");
      if (auto* error = std::get_if<ferry::plugin::PluginError>(&started))
        text = "start: " + error->message;
      else
        text = body(*std::get<0>(started));
    } catch (const std::exception& e) {
      text = std::string("exception: ") + e.what();
    }
    const bool written = ::write(pipe_fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::_exit(written ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t got; (got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) text.append(buffer, static_cast<size_t>(got));
  ::close(pipe_fds[0]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  if (WEXITSTATUS(status) == unavailable_status) return std::nullopt;
  REQUIRE(WEXITSTATUS(status) == 0);
  return text;
}

// Writes size bytes to path in 256 KiB chunks and commits; the first error's message, or "" if none.
std::string store(ferry::plugin::SinkInstance& sink, const std::string& path, size_t size) {
  auto opened = sink.open(file_spec(path, size));
  if (auto* error = std::get_if<ferry::plugin::PluginError>(&opened)) return error->message;
  auto& file = std::get<0>(opened);
  const auto chunk = pattern_bytes(256 << 10, 5);
  for (size_t offset = 0; offset < size; offset += chunk.size())
    if (auto error = file->write(offset, std::span(chunk).first(std::min(chunk.size(), size - offset))))
      return error->message;
  if (auto error = file->commit()) return error->message;
  return "";
}

void warn_unavailable() { WARN("this system allows no private mount namespace; the case did not run"); }

}  // namespace

TEST_CASE("fs sink: a full disk fails the file with the sink's message", "[sink][fs][target]") {
  TempDirectory scratch;
  const auto result = on_private_tmpfs(scratch.path(), "size=1m", [&](ferry::plugin::SinkInstance& sink) {
    const std::string message = store(sink, "big/file.bin", 4 << 20);
    const bool nothing_left = std::filesystem::is_empty(scratch.path() / "root/.ferry-tmp") &&
                              !std::filesystem::exists(scratch.path() / "root/big");
    return message + (nothing_left ? "" : " [something was left behind]");
  });
  if (!result) return warn_unavailable();
  CHECK_THAT(*result, Catch::Matches("fs sink: big/file\\.bin: cannot write at offset \\d+: No space left on device"));
}

TEST_CASE("fs sink: a read-only target fails with the sink's message", "[sink][fs][target]") {
  TempDirectory scratch;
  const auto result = on_private_tmpfs(scratch.path(), "size=1m", [&](ferry::plugin::SinkInstance& sink) {
    if (::mount(nullptr, scratch.path().c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) != 0)
      return std::string("remount failed");
    std::string messages = store(sink, "x.bin", 10);
    const auto started = start_fs(scratch.path() / "other-root");
    if (auto* error = std::get_if<ferry::plugin::PluginError>(&started)) messages += "\n" + error->message;
    return messages;
  });
  if (!result) return warn_unavailable();
  CHECK(*result == "fs sink: x.bin: cannot create a temporary file in .ferry-tmp: Read-only file system\n"
                   "fs sink: " + (scratch.path() / "other-root").string() +
                       ": cannot create the sink's root directory: Read-only file system");
}
