#include "admin/token_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ferry::admin {

TokenFile read_token_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return {{}, "admin.token_file " + path + ": cannot read it: " + std::strerror(errno)};
  std::string line;
  std::getline(file, line);
  const auto first = line.find_first_not_of(" \t\r");
  const auto last = line.find_last_not_of(" \t\r");
  if (first == std::string::npos)
    return {{}, "admin.token_file " + path + ": the first line is empty; it must hold the token"};
  return {line.substr(first, last - first + 1), {}};
}

}  // namespace ferry::admin
