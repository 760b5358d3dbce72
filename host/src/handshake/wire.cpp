#include "handshake/wire.hpp"

#include <cstdio>
#include <string_view>

namespace ferry::handshake {
namespace {

std::string hex16(uint16_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04x", static_cast<unsigned>(value));
  return text;
}

std::string_view tag_name(uint16_t tag) {
  switch (tag) {
    case tag::node_id: return "node_id";
    case tag::node_name: return "node_name";
    case tag::cluster: return "cluster";
    case tag::incarnation: return "incarnation";
    case tag::nonce: return "nonce";
    case tag::setting: return "setting";
    case tag::expected_incarnation: return "expected_incarnation";
    case tag::connection_index: return "connection_index";
    case tag::received: return "received";
    case tag::codec_offer: return "codec_offer";
    case tag::required_feature: return "required_feature";
    case tag::disabled_feature: return "disabled_feature";
    case tag::listen_address: return "listen_address";
    case tag::responder_codec: return "responder_codec";
    case tag::initiator_codec: return "initiator_codec";
    case tag::mode: return "mode";
    case tag::agreed_features: return "agreed_features";
    case tag::refuse_code: return "refuse_code";
    case tag::refuse_reason: return "refuse_reason";
    case tag::major: return "major";
    case tag::minor: return "minor";
    case tag::features: return "features";
    case tag::setting_name: return "setting_name";
    case tag::setting_value: return "setting_value";
    case tag::secret_asked: return "secret_asked";
    case tag::secret_proof: return "secret_proof";
    default: return {};
  }
}

}  // namespace

std::string frame_type_name(uint16_t type) {
  switch (type) {
    case frame_type::identify: return "IDENTIFY";
    case frame_type::request: return "REQUEST";
    case frame_type::accept: return "ACCEPT";
    case frame_type::refuse: return "REFUSE";
    default: return "frame type " + hex16(type);
  }
}

std::string describe_tag(uint16_t tag) {
  const std::string_view name = tag_name(tag);
  if (name.empty()) return "tag " + hex16(tag);
  return "tag " + hex16(tag) + " (" + std::string(name) + ")";
}

}  // namespace ferry::handshake
