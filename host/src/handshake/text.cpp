#include "handshake/text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

namespace ferry::handshake {
namespace {

std::optional<uint16_t> parse_u16(std::string_view text) {
  uint16_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string to_string(const NodeId& id) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(hex[id[i] >> 4]);
    text.push_back(hex[id[i] & 0xF]);
  }
  return text;
}

std::optional<NodeId> parse_node_id(std::string_view text) {
  static constexpr std::string_view shape = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
  if (text.size() != shape.size()) return std::nullopt;
  NodeId id{};
  size_t nibble = 0;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == '-') {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const int value = hex_value(text[i]);
    if (value < 0) return std::nullopt;
    id[nibble / 2] = static_cast<uint8_t>(id[nibble / 2] | (nibble % 2 == 0 ? value << 4 : value));
    ++nibble;
  }
  return id;
}

std::string to_string(Version version) { return std::to_string(version.major) + "." + std::to_string(version.minor); }

std::optional<Version> parse_version(std::string_view text) {
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto major = parse_u16(text.substr(0, dot));
  const auto minor = parse_u16(text.substr(dot + 1));
  if (!major || !minor) return std::nullopt;
  return Version{*major, *minor};
}

std::string list_versions(std::span<const CodecOffer> offers) {
  std::vector<Version> versions;
  for (const CodecOffer& offer : offers) versions.push_back(offer.version);
  std::sort(versions.begin(), versions.end());
  versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
  if (versions.empty()) return "nothing";
  // A peer may offer thousands; a sentence names the lowest few.
  constexpr size_t shown = 16;
  std::string text;
  for (size_t i = 0; i < versions.size() && i < shown; ++i) text += (i == 0 ? "" : ", ") + to_string(versions[i]);
  if (versions.size() > shown) text += " and " + std::to_string(versions.size() - shown) + " more";
  return text;
}

std::string to_string(RefuseCode code) {
  switch (code) {
    case RefuseCode::cluster_mismatch: return "cluster_mismatch";
    case RefuseCode::settings_mismatch: return "settings_mismatch";
    case RefuseCode::unknown_node: return "unknown_node";
    case RefuseCode::already_connected: return "already_connected";
    case RefuseCode::node_stopping: return "node_stopping";
    case RefuseCode::need_wait: return "need_wait";
    case RefuseCode::no_common_codec: return "no_common_codec";
    case RefuseCode::missing_feature: return "missing_feature";
    case RefuseCode::wrong_node: return "wrong_node";
    case RefuseCode::handshake_timeout: return "handshake_timeout";
    case RefuseCode::protocol_error: return "protocol_error";
    case RefuseCode::authentication_failed: return "authentication_failed";
    case RefuseCode::identity_mismatch: return "identity_mismatch";
    case RefuseCode::tls_required: return "tls_required";
    case RefuseCode::tls_failed: return "tls_failed";
  }
  return "code " + std::to_string(static_cast<uint16_t>(code));
}

std::string printable(std::string_view text, size_t max_bytes) {
  const bool cut = text.size() > max_bytes;
  if (cut) {
    size_t end = max_bytes;
    while (end > 0 && (static_cast<uint8_t>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<uint8_t>(c);
    if (byte < 0x20 || byte == 0x7F || c == '\\') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned>(byte));
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  return cut ? out + "..." : out;
}

std::string in_quotes(std::string_view text) {
  constexpr size_t name_bytes = 60;
  std::string out = "\"";
  for (char c : printable(text, name_bytes)) out += c == '"' ? std::string("\\x22") : std::string(1, c);
  return out + "\"";
}

bool is_transient(RefuseCode code) {
  return code == RefuseCode::already_connected || code == RefuseCode::node_stopping || code == RefuseCode::need_wait ||
         code == RefuseCode::handshake_timeout;
}

}  // namespace ferry::handshake
