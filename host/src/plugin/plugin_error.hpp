// A failure reported by a plugin hook: its status code and its own sentence.
#pragma once

#include <ferry/abi.h>

#include <string>

namespace ferry::plugin {

struct PluginError {
  ferry_type_status code = FERRY_OK;
  std::string message;

  static PluginError from(ferry_type_status code, const ferry_type_error& error);
};

// Nothing to do yet (FERRY_ERR_WOULD_BLOCK): wait until the descriptor is ready (readable to accept,
// writable to finish a connection) or more bytes arrived, then call again.
struct WouldBlock {};

// A zeroed error for a hook to fill.
inline ferry_type_error blank_error() { return ferry_type_error{}; }

// The same for hooks called per message (a codec's encode and decode): an empty text, without zeroing all
// of its room at every call. A hook that fails writes a terminated text (PluginError::from reads no further
// than the room in any case).
inline void clear_error(ferry_type_error& error) {
  error.code = FERRY_OK;
  error.reserved = 0;
  error.message[0] = '\0';
}

}  // namespace ferry::plugin
