// admin.token_file: the bearer token the admin endpoint requires, read once at start.
#pragma once

#include <string>

namespace ferry::admin {

struct TokenFile {
  std::string token;  // the file's first line without surrounding whitespace
  std::string error;  // why the file cannot serve (unreadable, no token in it); token is then empty
};

TokenFile read_token_file(const std::string& path);

}  // namespace ferry::admin
