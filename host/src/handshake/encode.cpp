// Records are written in ascending tag order; readers accept any order, but the golden vectors pin this one.
#include <ferry/abi.h>

#include "handshake/frame_codec.hpp"
#include "handshake/record_writer.hpp"
#include "handshake/wire.hpp"

namespace ferry::handshake {

// The mode travels to the codec plugins as these numbers.
static_assert(static_cast<uint16_t>(Mode::stable) == FERRY_CODEC_MODE_STABLE);
static_assert(static_cast<uint16_t>(Mode::rolling) == FERRY_CODEC_MODE_ROLLING);

namespace {

RecordWriter version_record(Version version) {
  RecordWriter record;
  record.u64(tag::major, version.major).u64(tag::minor, version.minor);
  return record;
}

void put_identity(RecordWriter& out, const NodeId& id, const std::string& name, const std::string& cluster,
                  uint64_t incarnation, const Nonce& nonce, const std::vector<Setting>& settings) {
  out.bytes(tag::node_id, id).string(tag::node_name, name).string(tag::cluster, cluster);
  out.u64(tag::incarnation, incarnation).bytes(tag::nonce, nonce);
  for (const Setting& setting : settings) {
    RecordWriter record;
    record.string(tag::setting_name, setting.name).string(tag::setting_value, setting.value);
    out.nested(tag::setting, record);
  }
}

}  // namespace

std::vector<uint8_t> encode(const Identify& identify) {
  RecordWriter out;
  put_identity(out, identify.node_id, identify.node_name, identify.cluster, identify.incarnation, identify.nonce,
               identify.settings);
  if (identify.secret_asked) out.u64(tag::secret_asked, 1);
  return out.frame(frame_type::identify);
}

std::vector<uint8_t> encode(const Request& request) {
  RecordWriter out;
  put_identity(out, request.node_id, request.node_name, request.cluster, request.incarnation, request.nonce,
               request.settings);
  out.u64(tag::expected_incarnation, request.expected_incarnation);
  out.u64(tag::connection_index, request.connection_index);
  out.u64(tag::received, request.received);
  for (const CodecOffer& offer : request.offers) {
    RecordWriter record = version_record(offer.version);
    record.u64(tag::features, offer.features);
    out.nested(tag::codec_offer, record);
  }
  for (const std::string& name : request.required_features) out.string(tag::required_feature, name);
  for (const std::string& name : request.disabled_features) out.string(tag::disabled_feature, name);
  if (!request.listen_address.empty()) out.string(tag::listen_address, request.listen_address);
  if (request.proof) out.bytes(tag::secret_proof, *request.proof);
  return out.frame(frame_type::request);
}

std::vector<uint8_t> encode(const Accept& accept) {
  RecordWriter out;
  out.u64(tag::received, accept.received);
  out.nested(tag::responder_codec, version_record(accept.responder_codec));
  out.nested(tag::initiator_codec, version_record(accept.initiator_codec));
  out.u64(tag::mode, static_cast<uint16_t>(accept.mode));
  out.u64(tag::agreed_features, accept.agreed_features);
  if (accept.proof) out.bytes(tag::secret_proof, *accept.proof);
  return out.frame(frame_type::accept);
}

std::vector<uint8_t> encode(const Refuse& refuse) {
  RecordWriter out;
  out.u64(tag::refuse_code, static_cast<uint16_t>(refuse.code));
  out.string(tag::refuse_reason, refuse.reason);
  return out.frame(frame_type::refuse);
}

}  // namespace ferry::handshake
