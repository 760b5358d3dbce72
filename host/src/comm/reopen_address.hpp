// Where to reach a peer that connected to this node, to reopen a connection it closed for idleness: the
// listen address it gave in its REQUEST. A wildcard host ("0.0.0.0", "[::]") names no host to connect
// to, so the host the connection came from stands in for it.
#pragma once

#include <string>
#include <string_view>

namespace ferry::comm {

inline std::string reopen_address(std::string_view advertised, std::string_view observed) {
  for (const std::string_view wildcard : {"0.0.0.0:", "[::]:"}) {
    if (!advertised.starts_with(wildcard)) continue;
    const size_t colon = observed.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::string(advertised);
    return std::string(observed.substr(0, colon)) + ":" + std::string(advertised.substr(wildcard.size()));
  }
  return std::string(advertised);
}

}  // namespace ferry::comm
