#include <algorithm>
#include <string>

#include "handshake/field_reader.hpp"
#include "handshake/frame_codec.hpp"
#include "handshake/text.hpp"
#include "handshake/wire.hpp"

namespace ferry::handshake {
namespace {

constexpr uint64_t u16_max = 0xFFFF;

template <typename T>
Result<T> finish(const FieldReader& in, uint16_t type, T value) {
  if (in.failed()) return Error{"malformed " + frame_type_name(type) + ": " + in.error()};
  return value;
}

Version read_version(FieldReader& in) {
  const auto major = static_cast<uint16_t>(in.u64(tag::major, u16_max));
  const auto minor = static_cast<uint16_t>(in.u64(tag::minor, u16_max));
  return {major, minor};
}

// A node's own incarnation is never 0: 0 means "unknown" where a peer's incarnation is expected.
uint64_t read_incarnation(FieldReader& in) {
  const uint64_t incarnation = in.u64(tag::incarnation);
  if (!in.failed() && incarnation == 0) in.fail(describe_tag(tag::incarnation) + " is 0, which no node has");
  return incarnation;
}

std::vector<Setting> read_settings(FieldReader& in) {
  std::vector<Setting> settings;
  in.each(tag::setting, [&](FieldReader& record) {
    Setting setting{record.string(tag::setting_name), record.string(tag::setting_value)};
    if (record.failed()) return;
    const bool repeated =
        std::any_of(settings.begin(), settings.end(), [&](const Setting& seen) { return seen.name == setting.name; });
    if (repeated) record.fail("setting " + in_quotes(setting.name) + " appears twice");
    settings.push_back(std::move(setting));
  });
  return settings;
}

std::vector<CodecOffer> read_offers(FieldReader& in) {
  std::vector<CodecOffer> offers;
  in.each(tag::codec_offer, [&](FieldReader& record) {
    CodecOffer offer{read_version(record), record.u64(tag::features)};
    if (record.failed()) return;
    const bool repeated = std::any_of(offers.begin(), offers.end(),
                                      [&](const CodecOffer& seen) { return seen.version == offer.version; });
    if (repeated) record.fail("codec " + to_string(offer.version) + " is offered twice");
    offers.push_back(offer);
  });
  return offers;
}

}  // namespace

Result<Identify> decode_identify(std::span<const uint8_t> body) {
  FieldReader in(body);
  Identify out;
  out.node_id = in.fixed<16>(tag::node_id);
  out.node_name = in.string(tag::node_name);
  out.cluster = in.string(tag::cluster);
  out.incarnation = read_incarnation(in);
  out.nonce = in.fixed<32>(tag::nonce);
  out.settings = read_settings(in);
  out.secret_asked = in.optional_u64(tag::secret_asked, 1).value_or(0) == 1;
  return finish(in, frame_type::identify, std::move(out));
}

Result<Request> decode_request(std::span<const uint8_t> body) {
  FieldReader in(body);
  Request out;
  out.node_id = in.fixed<16>(tag::node_id);
  out.node_name = in.string(tag::node_name);
  out.cluster = in.string(tag::cluster);
  out.incarnation = read_incarnation(in);
  out.nonce = in.fixed<32>(tag::nonce);
  out.settings = read_settings(in);
  out.expected_incarnation = in.u64(tag::expected_incarnation);
  out.connection_index = in.u64(tag::connection_index);
  out.received = in.u64(tag::received);
  out.offers = read_offers(in);
  out.required_features = in.strings(tag::required_feature);
  out.disabled_features = in.strings(tag::disabled_feature);
  const auto listen_address = in.strings(tag::listen_address);
  if (listen_address.size() > 1)
    in.fail(describe_tag(tag::listen_address) + " appears " + std::to_string(listen_address.size()) + " times");
  if (!listen_address.empty()) out.listen_address = listen_address.front();
  out.proof = in.optional_fixed<32>(tag::secret_proof);
  return finish(in, frame_type::request, std::move(out));
}

Result<Accept> decode_accept(std::span<const uint8_t> body) {
  FieldReader in(body);
  Accept out;
  out.received = in.u64(tag::received);
  in.nested(tag::responder_codec, [&](FieldReader& record) { out.responder_codec = read_version(record); });
  in.nested(tag::initiator_codec, [&](FieldReader& record) { out.initiator_codec = read_version(record); });
  const uint64_t mode = in.u64(tag::mode, u16_max);
  if (!in.failed() && mode != static_cast<uint16_t>(Mode::stable) && mode != static_cast<uint16_t>(Mode::rolling))
    in.fail(describe_tag(tag::mode) + " is " + std::to_string(mode) + "; expected 1 (stable) or 2 (rolling)");
  out.mode = static_cast<Mode>(mode);
  out.agreed_features = in.u64(tag::agreed_features);
  out.proof = in.optional_fixed<32>(tag::secret_proof);
  return finish(in, frame_type::accept, std::move(out));
}

Result<Refuse> decode_refuse(std::span<const uint8_t> body) {
  FieldReader in(body);
  Refuse out;
  const uint64_t code = in.u64(tag::refuse_code, u16_max);
  if (!in.failed() && code == 0) in.fail(describe_tag(tag::refuse_code) + " is 0, which is no refusal code");
  out.code = static_cast<RefuseCode>(code);
  out.reason = in.string(tag::refuse_reason);
  return finish(in, frame_type::refuse, std::move(out));
}

}  // namespace ferry::handshake
