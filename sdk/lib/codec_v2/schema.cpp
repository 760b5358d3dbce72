#include "codec_v2/schema.hpp"

#include <ferry/protocol_v2.h>

namespace ferry::codec_v2 {

codec_v1::Schema protocol_v2(uint16_t minor) {
  return codec_v1::Schema{std::span<const ferry_type_message_spec>(ferry_v2_messages, FERRY_V2_MESSAGE_COUNT), 2,
                          minor};
}

}  // namespace ferry::codec_v2
