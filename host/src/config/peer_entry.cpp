#include "config/peer_entry.hpp"

#include "config/quote.hpp"
#include "config/string_checks.hpp"

namespace ferry::config {

PeerEntry split_peer(std::string_view entry) {
  const auto at = entry.find('@');
  if (at == std::string_view::npos || at == 0 || entry.substr(0, at).find('/') != std::string_view::npos)
    return {std::string(entry), ""};
  return {std::string(entry.substr(at + 1)), std::string(entry.substr(0, at))};
}

std::optional<std::string> check_peer(std::string_view entry) {
  if (entry.empty()) return "expected a non-empty string";
  const PeerEntry peer = split_peer(entry);
  if (peer.expected_id.empty()) return std::nullopt;
  if (!is_uuid(peer.expected_id))
    return "expected ADDRESS or NODE_ID@ADDRESS, with NODE_ID a UUID like "
           "\"0f8e5c2a-7d4b-4c1e-9a3f-6b2d8e1c5a70\", got " + quote(entry);
  if (peer.address.empty()) return "expected an address after the node id in " + quote(entry);
  return std::nullopt;
}

}  // namespace ferry::config
