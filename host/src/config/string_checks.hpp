// Checks of single string values, used by the schema. Each returns what is wrong, or nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ferry::config {

std::optional<std::string> check_node_name(std::string_view value);  // node names, cluster names
std::optional<std::string> check_uuid_or_empty(std::string_view value);
bool is_uuid(std::string_view value);  // 8-4-4-4-12 hex digits, either case
std::optional<std::string> check_plugin_name(std::string_view value);  // also sink names
std::optional<std::string> check_feature_name(std::string_view value);
std::optional<std::string> check_version_or_empty(std::string_view value);
std::optional<std::string> check_not_empty(std::string_view value);
std::optional<std::string> check_host_port(std::string_view value);

// "HOST:PORT" split at the last colon outside brackets; "[::1]:80" gives host "::1".
struct HostPort {
  std::string_view host;
  std::string_view port;
};
std::optional<HostPort> split_host_port(std::string_view value);
bool is_loopback_host(std::string_view host);

}  // namespace ferry::config
