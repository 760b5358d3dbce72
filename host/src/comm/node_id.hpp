// Node ids as the host prints and keys them: the UUID's 8-4-4-4-12 lower-case text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "handshake/frames.hpp"

namespace ferry::comm {

std::string node_id_text(const handshake::NodeId& id);
// Parses the text form; nullopt when it is not a UUID.
std::optional<handshake::NodeId> parse_node_id(std::string_view text);

}  // namespace ferry::comm
