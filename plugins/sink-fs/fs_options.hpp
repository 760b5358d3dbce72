// The keys of an fs sink's [[sink]] table, as the plugin declares them and as one instance reads them.
#pragma once

#include <ferry/plugin.hpp>

#include <span>
#include <string>

namespace ferry::sink_fs {

// What is flushed to stable storage before commit returns:
//   none      nothing; fastest, a power loss may lose or truncate recently committed files.
//   file      the file's data and attributes, before it is renamed into place, so a file that is visible
//             after a crash is complete; the rename itself may still be lost.
//   file+dir  also every directory entry the commit made, so a committed file survives a power loss.
enum class FsyncPolicy { none, file, file_and_directory };

struct FsOptions {
  std::string root;
  FsyncPolicy fsync = FsyncPolicy::file_and_directory;
  std::string temp_dir = ".ferry-tmp";
};

std::span<const ferry_type_config_key> fs_config_keys();

// Reads and checks the instance's keys; throws ferry::sdk::Error (FERRY_ERR_CONFIG) naming the key.
FsOptions read_fs_options(const sdk::Host& host);

}  // namespace ferry::sink_fs
