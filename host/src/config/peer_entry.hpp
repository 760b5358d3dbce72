// A transport.peers entry: the address of a peer, optionally preceded by the node id expected there
// ("ID@ADDRESS"), so that the node notices when another node answers at that address (wrong_node).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ferry::config {

struct PeerEntry {
  std::string address;
  std::string expected_id;  // "" = any node of the cluster may answer
};

// The text before the first '@' is a node id when something precedes the '@' and contains no '/'. So a
// Unix socket path keeps its '@' by having a '/' before it ("./a@b.sock"), and an abstract socket
// ("@name") is an address.
PeerEntry split_peer(std::string_view entry);

// What is wrong with an entry: empty, an id that is not a UUID, or nothing after the '@'.
std::optional<std::string> check_peer(std::string_view entry);

}  // namespace ferry::config
