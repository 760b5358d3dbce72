// The handshake's values as text, for sentences and logs, and back from configuration.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "handshake/frames.hpp"

namespace ferry::handshake {

// 8-4-4-4-12 lower-case hex, the form config's node.id uses.
std::string to_string(const NodeId& id);
std::optional<NodeId> parse_node_id(std::string_view text);

// "1.0"
std::string to_string(Version version);
// "MAJOR.MINOR", each 0..65535, as protocol.max_version is written.
std::optional<Version> parse_version(std::string_view text);

// "1.0, 1.1, 2.0": sorted, without duplicates, "nothing" when empty; the first 16, then "and N more".
std::string list_versions(std::span<const CodecOffer> offers);

// "cluster_mismatch", ..., or "code 42" for one this release does not know.
std::string to_string(RefuseCode code);

// A peer's text made safe for a one-line message, unquoted: control characters and backslashes escaped
// as \xNN, cut after max_bytes (never inside a UTF-8 sequence) with "..." appended.
std::string printable(std::string_view text, size_t max_bytes);

// A peer's name in a sentence: double-quoted, escaped as printable() does, cut after 60 bytes.
std::string in_quotes(std::string_view text);

// Whether retrying the same connection later may succeed without anyone changing a configuration.
bool is_transient(RefuseCode code);

}  // namespace ferry::handshake
