#include "support.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <ferry/protocol_v1.h>

#include "plugin/catalog.hpp"
#include "protocol/messages_stream.hpp"
#include "protocol/messages_v1.hpp"

namespace ferry::codec_test {

Bytes from_hex(std::string_view text) {
  Bytes bytes;
  int pending = -1;
  bool comment = false;
  for (char c : text) {
    if (c == '\n') comment = false;
    if (comment || c == '#') {
      comment = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    const int digit = (c >= '0' && c <= '9')   ? c - '0'
                      : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                      : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                               : -1;
    if (digit < 0) FAIL("not a hex digit: '" << c << "'");
    if (pending < 0) {
      pending = digit;
    } else {
      bytes.push_back(static_cast<uint8_t>(pending << 4 | digit));
      pending = -1;
    }
  }
  REQUIRE(pending < 0);
  return bytes;
}

Bytes read_hex_file(const std::string& path) {
  std::ifstream file(path);
  REQUIRE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  return from_hex(text.str());
}

Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

OwnedMessage own(const ferry_type_message& message) {
  OwnedMessage owned{message.type, {}, message.payload_length};
  for (size_t i = 0; i < message.field_count; ++i) {
    const ferry_type_field& field = message.fields[i];
    OwnedField copy{field.kind, field.integer, {}};
    if (field.bytes != nullptr) copy.bytes.assign(field.bytes, field.bytes + field.length);
    owned.fields.push_back(std::move(copy));
  }
  return owned;
}

OwnedMessage own_in(const protocol::Message& message, uint16_t minor) {
  OwnedMessage owned = own(message.view());
  const ferry_type_message_spec* spec = ferry_v1_find_message(message.type());
  REQUIRE(spec != nullptr);
  for (size_t i = 0; i < owned.fields.size() && i < spec->field_count; ++i)
    if (spec->fields[i].since_minor > minor) owned.fields[i] = OwnedField{};
  return owned;
}

std::shared_ptr<plugin::CodecInstance> load_codec(const std::string& name) {
  const auto catalog = plugin::Catalog::scan({FERRY_PLUGIN_OUTPUT_DIR}, plugin::FilePolicy{false, 0});
  auto library = catalog.find("codec", name);
  REQUIRE(library != nullptr);
  auto created = plugin::CodecInstance::create(library, nullptr);
  REQUIRE(std::holds_alternative<std::shared_ptr<plugin::CodecInstance>>(created));
  return std::get<0>(std::move(created));
}

std::shared_ptr<plugin::CodecInstance> load_codec_1_0() { return load_codec("codec-1.0"); }

std::unique_ptr<plugin::CodecStream> open_mode(plugin::CodecInstance& codec, plugin::CodecMode mode,
                                               uint64_t max_message_size) {
  auto opened = codec.open(plugin::StreamSettings{mode, 0, max_message_size});
  if (auto* error = std::get_if<plugin::PluginError>(&opened)) FAIL(error->message);
  return std::get<0>(std::move(opened));
}

std::unique_ptr<plugin::CodecStream> open_stable(plugin::CodecInstance& codec, uint64_t max_message_size) {
  return open_mode(codec, plugin::CodecMode::stable, max_message_size);
}

const std::vector<Variant>& variants() {
  using plugin::CodecMode;
  static const std::vector<Variant> all{
      {"codec-1.0", 0, CodecMode::stable, "codec-1.0"},
      {"codec-1.0", 0, CodecMode::rolling, "codec-1.0-rolling"},
      {"codec-1.1", 1, CodecMode::stable, "codec-1.1"},
      {"codec-1.1", 1, CodecMode::rolling, "codec-1.1-rolling"},
      {"codec-2.0", 1, CodecMode::stable, "codec-2.0"},
      {"codec-2.0", 1, CodecMode::rolling, "codec-2.0-rolling"},
  };
  return all;
}

DecodeRun decode_all(plugin::CodecStream& stream, const Bytes& input, size_t chunk) {
  DecodeRun run;
  Bytes buffer;
  size_t fed = 0;
  for (;;) {
    for (;;) {  // decode until the codec needs more
      auto result = stream.decode(buffer);
      if (auto* error = std::get_if<plugin::PluginError>(&result)) {
        run.error = *error;
        return run;
      }
      const plugin::Decoded& decoded = std::get<plugin::Decoded>(result);
      if (decoded.kind == plugin::DecodeKind::need_more) {
        buffer.erase(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(decoded.consumed));
        break;
      }
      if (decoded.kind == plugin::DecodeKind::message) {
        run.messages.push_back(own(decoded.message));
      } else {
        run.payload.insert(run.payload.end(), decoded.payload.begin(), decoded.payload.end());
        ++run.payload_pieces;
      }
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(decoded.consumed));
    }
    if (fed == input.size()) break;
    const size_t piece = chunk == 0 ? input.size() - fed : std::min(chunk, input.size() - fed);
    buffer.insert(buffer.end(), input.begin() + static_cast<ptrdiff_t>(fed),
                  input.begin() + static_cast<ptrdiff_t>(fed + piece));
    fed += piece;
  }
  run.left_over = buffer.size();
  return run;
}

Bytes encode(plugin::CodecStream& stream, const protocol::Message& message) {
  Bytes out;
  if (const auto error = stream.encode(message, out)) FAIL(error->message);
  return out;
}

Bytes encode_with_payload(plugin::CodecStream& stream, const ferry_type_message& message, const Bytes& payload) {
  Bytes out;
  if (const auto error = stream.encode(message, out)) FAIL(error->message);
  size_t sent = 0;
  while (sent < payload.size()) {
    auto piece = stream.encode_payload_prefix(payload.size() - sent, out);
    if (auto* error = std::get_if<plugin::PluginError>(&piece)) FAIL(error->message);
    const size_t length = static_cast<size_t>(std::min<uint64_t>(std::get<uint64_t>(piece), payload.size() - sent));
    REQUIRE(length > 0);
    out.insert(out.end(), payload.begin() + static_cast<ptrdiff_t>(sent),
               payload.begin() + static_cast<ptrdiff_t>(sent + length));
    sent += length;
  }
  return out;
}

namespace {

// The streaming messages of the golden vectors (docs/protocol.md §5), kept alive for the messages that
// point into them.
protocol::Message stream_message(const stream::StreamMessage& value) {
  static std::vector<std::unique_ptr<std::pair<stream::StreamMessage, protocol::streaming::Scratch>>> kept;
  kept.push_back(std::make_unique<std::pair<stream::StreamMessage, protocol::streaming::Scratch>>(value,
                                                                                                 protocol::streaming::Scratch{}));
  return protocol::streaming::build(kept.back()->first, kept.back()->second);
}

}  // namespace

const std::vector<KnownMessage>& known_messages() {
  namespace v1 = protocol::v1;
  static const Bytes padding{0xde, 0xad, 0xbe, 0xef};
  static const Bytes body = bytes_of("hello, ferry");
  static const stream::SessionId session{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x41, 0xd1,
                                         0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  // SHA-256 of "hello, ferry".
  static const stream::Digest digest = from_hex(
      "3e14e5abf208c0f2d3a707f8c598d76e68b4dbb05a960992888dd57002abce80");
  static const std::vector<KnownMessage> messages{
      {"ACK", v1::ack(300), {}},
      {"PING", v1::ping(1, 1700000000000000000, padding), {}},
      {"PONG", v1::pong(127, 128, {}), {}},
      {"NODE_STOPPING", v1::node_stopping("shutdown \xe2\x80\x94 maintenance", true), {}},
      {"DATA", v1::data(7, body, 0xf3e102b0), {}},
      {"IDLE_CLOSE", v1::idle_close(), {}},
      {"STREAM_PREPARE", stream_message(stream::Prepare{session, 3, 1048576, {"logs", "db/main"}, 3}), {}},
      {"STREAM_PREPARE_ACK", stream_message(stream::PrepareAck{session, 2, 300}), {}},
      {"STREAM_FILE",
       stream_message(stream::FileHeader{session, 1, 0, "dir/a.txt", 5, 0644, 1700000000123456789, {{0, 2}, {4, 1}}, {}}),
       {}},
      {"STREAM_CHUNK", stream_message(stream::Chunk{session, 1, 2, 65536, 0xf3e102b0, body.size()}), body},
      {"STREAM_FILE_DONE", stream_message(stream::FileDone{session, 1, 0, digest}), {}},
      {"STREAM_RETRY", stream_message(stream::Retry{session, 1, 0, "CRC32C mismatch"}), {}},
      {"STREAM_FILE_COMMITTED", stream_message(stream::FileCommitted{session, 1}), {}},
      {"STREAM_COMPLETE", stream_message(stream::Complete{session}), {}},
      {"STREAM_FAILED", stream_message(stream::Failed{session, "disk full"}), {}},
      {"STREAM_KEEPALIVE", stream_message(stream::KeepAlive{session}), {}},
      {"STREAM_FILE_CHECKED", stream_message(stream::FileChecked{session, 1, 0, false, digest}), {}, 1},
  };
  return messages;
}

std::vector<std::reference_wrapper<const KnownMessage>> known_messages_in(uint16_t minor) {
  std::vector<std::reference_wrapper<const KnownMessage>> found;
  for (const KnownMessage& known : known_messages())
    if (known.since_minor <= minor) found.emplace_back(known);
  return found;
}

Bytes encode_known(plugin::CodecStream& stream, const KnownMessage& known) {
  return encode_with_payload(stream, known.message.view(), known.payload);
}

}  // namespace ferry::codec_test
