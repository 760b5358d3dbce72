#include "node/start_files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "admin/token_file.hpp"
#include "handshake/secret_proof.hpp"

namespace ferry::node {

namespace {

// Why path cannot be opened for reading, or empty.
std::string unreadable(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (file) return {};
  return "cannot read '" + path + "': " + std::strerror(errno);
}

}  // namespace

void check_start_files(const config::Config& config, std::vector<config::ConfigError>& errors) {
  const auto fail = [&](const std::string& key, std::string message) {
    errors.push_back({config.source, 0, 0, key, std::move(message)});
  };
  if (config.admin.enabled && !config.admin.token_file.empty()) {
    const admin::TokenFile token = admin::read_token_file(config.admin.token_file);
    if (!token.error.empty()) fail("", token.error);  // the reason names the key
  }
  if (!config.communication.cluster_secret_file.empty()) {
    auto secret = handshake::read_cluster_secret(config.communication.cluster_secret_file);
    if (!secret) fail("", secret.error().reason);
  }
  if (config.tls.enabled)
    for (const auto& [key, path] : {std::pair{"tls.cert", &config.tls.cert}, {"tls.key", &config.tls.key},
                                     {"tls.ca", &config.tls.ca}})
      if (!path->empty())
        if (std::string why = unreadable(*path); !why.empty()) fail(key, why);
}

}  // namespace ferry::node
