// Memory a payload may be read into directly, so that its bytes reach it without passing through the
// connection's read buffer: the rest of a STREAM_CHUNK's buffer, say. `keep` holds the memory alive while
// the read is under way (a connection may outlive the handler's interest in it).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

namespace ferry::comm {

struct PayloadTarget {
  std::span<uint8_t> bytes;  // empty: read into the connection's buffer as usual
  std::shared_ptr<const void> keep;
};

}  // namespace ferry::comm
