#include "config/string_checks.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "config/quote.hpp"

namespace ferry::config {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Names of plugins, sinks and features become file names, metric labels and CLI arguments: keeping them
// lowercase and free of spaces spares quoting everywhere.
std::optional<std::string> check_identifier(std::string_view value, std::string_view what) {
  if (value.empty()) return "expected a non-empty " + std::string(what);
  bool ok = is_lower_alnum(value.front()) && std::all_of(value.begin(), value.end(), [](char c) {
              return is_lower_alnum(c) || c == '.' || c == '_' || c == '-';
            });
  if (!ok)
    return "expected a " + std::string(what) +
           " of lowercase letters, digits, '.', '_' and '-', starting with a letter or digit, got " + quote(value);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_node_name(std::string_view value) {
  bool ok = !value.empty() && value.size() <= 64 && std::all_of(value.begin(), value.end(), [](char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '-';
  });
  if (!ok) return "expected 1 to 64 letters, digits, '.', '_' or '-', got " + quote(value);
  return std::nullopt;
}

bool is_uuid(std::string_view value) {
  static constexpr std::string_view shape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  bool ok = value.size() == shape.size();
  for (size_t i = 0; ok && i < shape.size(); ++i) ok = shape[i] == '-' ? value[i] == '-' : is_hex(value[i]);
  return ok;
}

std::optional<std::string> check_uuid_or_empty(std::string_view value) {
  if (value.empty()) return std::nullopt;
  if (!is_uuid(value))
    return "expected \"\" (derived at start) or a UUID like \"0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70\", got " +
           quote(value);
  return std::nullopt;
}

std::optional<std::string> check_plugin_name(std::string_view value) { return check_identifier(value, "name"); }

std::optional<std::string> check_feature_name(std::string_view value) {
  return check_identifier(value, "feature name");
}

std::optional<std::string> check_version_or_empty(std::string_view value) {
  if (value.empty()) return std::nullopt;
  auto dot = value.find('.');
  auto is_number = [](std::string_view part) {
    uint16_t number = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), number);
    return !part.empty() && ec == std::errc{} && end == part.data() + part.size();
  };
  if (dot == std::string_view::npos || !is_number(value.substr(0, dot)) || !is_number(value.substr(dot + 1)))
    return "expected \"\" (the highest available) or \"MAJOR.MINOR\" such as \"1.0\", got " + quote(value);
  return std::nullopt;
}

std::optional<std::string> check_not_empty(std::string_view value) {
  if (value.empty()) return "expected a non-empty string";
  return std::nullopt;
}

std::optional<HostPort> split_host_port(std::string_view value) {
  std::string_view host;
  std::string_view rest;
  if (value.starts_with('[')) {
    auto close = value.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = value.substr(1, close - 1);
    rest = value.substr(close + 1);
    if (!rest.starts_with(':')) return std::nullopt;
    rest.remove_prefix(1);
  } else {
    auto colon = value.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = value.substr(0, colon);
    rest = value.substr(colon + 1);
    // An unbracketed IPv6 address would make the port ambiguous.
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  if (host.empty()) return std::nullopt;
  return HostPort{host, rest};
}

std::optional<std::string> check_host_port(std::string_view value) {
  auto parts = split_host_port(value);
  uint16_t port = 0;
  bool ok = parts && !parts->port.empty();
  if (ok) {
    auto [end, ec] = std::from_chars(parts->port.data(), parts->port.data() + parts->port.size(), port);
    ok = ec == std::errc{} && end == parts->port.data() + parts->port.size();
  }
  if (!ok)
    return "expected \"HOST:PORT\" with a port in 0..65535, such as \"127.0.0.1:7401\" or \"[::1]:7401\", got " +
           quote(value);
  return std::nullopt;
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

}  // namespace ferry::config
