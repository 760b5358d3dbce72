// The files a side sends, from local paths: a regular file stands for itself, a directory for every
// regular file below it (symlinks are not followed). Each file's wire path starts with the last component
// of the path it was found under ("data/logs" gives "logs/a.txt"). A sparse file sends only its data:
// its byte ranges come from SEEK_DATA / SEEK_HOLE, and the holes arrive as zeros (docs/streaming.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "stream/session_types.hpp"

namespace ferry::node {

// Appends the files path stands for to out; on failure returns the sentence naming what could not be read.
std::string list_source_files(const std::filesystem::path& path, std::vector<stream::SourceFile>& out);

// The data ranges of an open file of the given size; empty when it is all data (the whole file).
std::vector<stream::ByteRange> data_ranges(int fd, uint64_t size);

}  // namespace ferry::node
