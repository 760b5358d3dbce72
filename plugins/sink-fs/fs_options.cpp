#include "fs_options.hpp"

#include <array>

namespace ferry::sink_fs {
namespace {

constexpr std::array<ferry_type_config_key, 3> keys{{
    {"root", FERRY_CONFIG_STRING, 1, 0, 0,
     "Absolute path of the directory that received files are written below; created when missing"},
    {"fsync", FERRY_CONFIG_STRING, 0, 0, 0,
     "What a commit flushes to disk: \"none\", \"file\" (its data) or \"file+dir\" (also its directory "
     "entry, so it survives a power loss; the default)"},
    {"temp_dir", FERRY_CONFIG_STRING, 0, 0, 0,
     "Name of the directory directly below root that holds files until they commit (default \".ferry-tmp\")"},
}};

[[noreturn]] void refuse(const char* key, const std::string& why) {
  throw sdk::Error(FERRY_ERR_CONFIG, "fs sink: " + std::string(key) + ": " + why);
}

}  // namespace

std::span<const ferry_type_config_key> fs_config_keys() { return keys; }

FsOptions read_fs_options(const sdk::Host& host) {
  FsOptions options;
  options.root = host.config_string("root").value_or("");
  if (options.root.empty() || options.root.front() != '/')
    refuse("root", "expected an absolute path, got \"" + options.root + "\"");
  while (options.root.size() > 1 && options.root.back() == '/') options.root.pop_back();

  if (const auto fsync = host.config_string("fsync")) {
    if (*fsync == "none")
      options.fsync = FsyncPolicy::none;
    else if (*fsync == "file")
      options.fsync = FsyncPolicy::file;
    else if (*fsync == "file+dir")
      options.fsync = FsyncPolicy::file_and_directory;
    else
      refuse("fsync", "expected one of \"none\", \"file\", \"file+dir\", got \"" + *fsync + "\"");
  }

  if (const auto temp_dir = host.config_string("temp_dir")) {
    if (temp_dir->empty() || *temp_dir == "." || *temp_dir == ".." ||
        temp_dir->find_first_of(std::string_view("/\0", 2)) != std::string::npos)
      refuse("temp_dir", "expected one directory name (no \"/\"), got \"" + *temp_dir + "\"");
    options.temp_dir = *temp_dir;
  }
  return options;
}

}  // namespace ferry::sink_fs
