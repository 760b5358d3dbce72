#include "comm/node_id.hpp"

namespace ferry::comm {

std::string node_id_text(const handshake::NodeId& id) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(hex[id[i] >> 4]);
    text.push_back(hex[id[i] & 0xF]);
  }
  return text;
}

std::optional<handshake::NodeId> parse_node_id(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  handshake::NodeId id{};
  size_t byte = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const char c = text[i];
    int value = -1;
    if (c >= '0' && c <= '9') value = c - '0';
    else if (c >= 'a' && c <= 'f') value = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') value = c - 'A' + 10;
    if (value < 0) return std::nullopt;
    id[byte / 2] = static_cast<uint8_t>(byte % 2 == 0 ? value << 4 : id[byte / 2] | value);
    ++byte;
  }
  return id;
}

}  // namespace ferry::comm
