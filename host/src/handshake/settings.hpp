// Settings that must be equal on both nodes (communication.connections_per_peer, paired_connections,
// max_message_size, checksum), compared by name. Pure.
//
// Each side compares the settings it knows: a local setting the peer did not send is a mismatch, a peer
// setting this node does not know is left to the peer, which compares it on its side (IDENTIFY and
// REQUEST both carry settings, so both nodes check).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "handshake/frames.hpp"

namespace ferry::handshake {

struct SettingMismatch {
  std::string name;
  std::string local;
  std::optional<std::string> peer;  // nullopt when the peer did not send it
  bool operator==(const SettingMismatch&) const = default;
};

// In the order of `local`.
std::vector<SettingMismatch> compare_settings(std::span<const Setting> local, std::span<const Setting> peer);

// settings_mismatch naming each differing setting and both values:
// "connections_per_peer: local 4, peer 1; paired_connections: local true, peer false".
Refuse settings_refusal(std::span<const SettingMismatch> mismatches);

}  // namespace ferry::handshake
