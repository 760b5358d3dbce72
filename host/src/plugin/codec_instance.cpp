#include "plugin/codec_instance.hpp"

#include <array>
#include <utility>

namespace ferry::plugin {
namespace {

// Most headers fit at once; a bigger one costs a second call with the size the codec asked for.
constexpr size_t kFirstEncodeRoom = 256;
constexpr size_t kPrefixRoom = 64;

PluginError codec_bug(const CodecInstance& codec, const std::string& what) {
  return PluginError{FERRY_ERR_INTERNAL, "codec " + codec.name() + " " + what};
}

// What an encode call that was given `room` bytes says went wrong, if anything.
std::optional<PluginError> encode_failure(const CodecInstance& codec, ferry_type_status status, size_t written,
                                          size_t room, const ferry_type_error& error) {
  if (status == FERRY_OK) {
    if (written <= room) return std::nullopt;
    return codec_bug(codec, "wrote " + std::to_string(written) + " bytes into " + std::to_string(room));
  }
  if (status == FERRY_ERR_NO_SPACE) return codec_bug(codec, "kept failing with FERRY_ERR_NO_SPACE after the size it asked for");
  return PluginError::from(status, error);
}

}  // namespace

CodecStream::CodecStream(std::shared_ptr<const CodecInstance> owner, void* handle)
    : owner_(std::move(owner)), handle_(handle), fields_(protocol::Message::kMaxFields) {}

CodecStream::~CodecStream() { owner_->table_.on_codec_stream_close(handle_); }

std::optional<PluginError> CodecStream::encode(const ferry_type_message& message, std::vector<uint8_t>& out) {
  // Most headers fit the room on the stack and are appended as written: growing `out` by the room first
  // zeroed it for every message. A bigger one gets a second call, into `out`, with the size it asked for.
  std::array<uint8_t, kFirstEncodeRoom> room;
  size_t written = 0;
  ferry_type_error error;
  clear_error(error);
  ferry_type_status status = owner_->table_.on_codec_encode(handle_, &message, room.data(), room.size(), &written, &error);
  if (status != FERRY_ERR_NO_SPACE || written <= room.size()) {
    auto failure = encode_failure(*owner_, status, written, room.size(), error);
    if (!failure) out.insert(out.end(), room.begin(), room.begin() + static_cast<ptrdiff_t>(written));
    return failure;
  }
  const size_t start = out.size();
  const size_t asked = written;
  out.resize(start + asked);
  clear_error(error);
  status = owner_->table_.on_codec_encode(handle_, &message, out.data() + start, asked, &written, &error);
  auto failure = encode_failure(*owner_, status, written, asked, error);
  out.resize(failure ? start : start + written);
  return failure;
}

std::variant<uint64_t, PluginError> CodecStream::encode_payload_prefix(uint64_t payload_remaining,
                                                                       std::vector<uint8_t>& out) {
  if (owner_->table_.on_codec_encode_payload_prefix == nullptr)
    return PluginError{FERRY_ERR_UNSUPPORTED, "codec " + owner_->name() + " cannot encode payloads"};
  const size_t start = out.size();
  out.resize(start + kPrefixRoom);
  size_t written = 0;
  uint64_t piece = 0;
  ferry_type_error error;
  clear_error(error);
  const ferry_type_status status = owner_->table_.on_codec_encode_payload_prefix(
      handle_, payload_remaining, out.data() + start, kPrefixRoom, &written, &piece, &error);
  if (status != FERRY_OK) {
    out.resize(start);
    return PluginError::from(status, error);
  }
  if (written > kPrefixRoom || piece > payload_remaining || (piece == 0 && payload_remaining > 0)) {
    out.resize(start);
    return codec_bug(*owner_, "answered a payload prefix of " + std::to_string(written) + " bytes for a piece of " +
                                  std::to_string(piece) + " of " + std::to_string(payload_remaining) + " bytes");
  }
  out.resize(start + written);
  return piece;
}

std::variant<Decoded, PluginError> CodecStream::decode(std::span<const uint8_t> input) {
  ferry_type_decode_event event{};
  event.fields_host_ptr = fields_.data();
  event.field_capacity = fields_.size();
  size_t consumed = 0;
  ferry_type_error error;
  clear_error(error);
  ferry_type_status status =
      owner_->table_.on_codec_decode(handle_, input.data(), input.size(), &consumed, &event, &error);
  if (status == FERRY_ERR_NO_SPACE) {
    // The codec needs room for more fields than we offered: grow once to what it asked for, then retry.
    if (event.message.field_count <= fields_.size())
      return codec_bug(*owner_, "asked for room for " + std::to_string(event.message.field_count) + " fields, having " +
                                    std::to_string(fields_.size()));
    fields_.resize(event.message.field_count);
    event = ferry_type_decode_event{};
    event.fields_host_ptr = fields_.data();
    event.field_capacity = fields_.size();
    clear_error(error);
    status = owner_->table_.on_codec_decode(handle_, input.data(), input.size(), &consumed, &event, &error);
  }
  if (status != FERRY_OK) return PluginError::from(status, error);

  if (consumed > input.size())
    return codec_bug(*owner_,
                     "consumed " + std::to_string(consumed) + " of " + std::to_string(input.size()) + " bytes");
  Decoded decoded;
  decoded.consumed = consumed;
  switch (event.kind) {
    case FERRY_DECODE_NEED_MORE:
      return decoded;
    case FERRY_DECODE_MESSAGE:
      if (event.message.field_count > fields_.size() ||
          (event.message.field_count > 0 && event.message.fields != fields_.data()))
        return codec_bug(*owner_, "returned fields outside the storage it was given");
      decoded.kind = DecodeKind::message;
      decoded.message = event.message;
      return decoded;
    case FERRY_DECODE_PAYLOAD:
      if (event.payload == nullptr && event.payload_length > 0)
        return codec_bug(*owner_, "returned a payload piece without bytes");
      decoded.kind = DecodeKind::payload;
      decoded.payload = std::span<const uint8_t>(event.payload, event.payload_length);
      return decoded;
    default:
      return codec_bug(*owner_, "returned unknown decode event " + std::to_string(event.kind));
  }
}

CodecInstance::CodecInstance(std::unique_ptr<InstanceContext> context, std::string name)
    : context_(std::move(context)),
      name_(std::move(name)),
      table_(context_->library()->table<ferry_type_codec_vtable>()) {}

std::variant<std::shared_ptr<CodecInstance>, PluginError> CodecInstance::create(std::shared_ptr<Library> library,
                                                                                runtime::EventLoop* loop) {
  static const config::PluginValues no_values;  // codecs have no configuration table
  if (library->kind().kind != FERRY_KIND_CODEC)
    return PluginError{FERRY_ERR_INVALID_ARGUMENT, "plugin " + std::string(library->descriptor().name) + " is a " +
                                                       std::string(library->kind().name) + ", not a codec"};
  std::string name = library->descriptor().name;
  auto context = std::make_unique<InstanceContext>(std::move(library), "codec." + name, loop);
  std::shared_ptr<CodecInstance> codec(new CodecInstance(std::move(context), std::move(name)));
  ferry_type_error error = blank_error();
  codec->instance_ =
      codec->table_.on_codec_create(codec->context_->services(), InstanceContext::view_of(no_values), &error);
  if (codec->instance_ == nullptr)
    return PluginError::from(error.code != FERRY_OK ? error.code : FERRY_ERR_INTERNAL, error);
  return codec;
}

CodecInstance::~CodecInstance() {
  if (instance_ != nullptr) table_.on_codec_destroy(instance_);
}

std::variant<std::unique_ptr<CodecStream>, PluginError> CodecInstance::open(const StreamSettings& settings) {
  ferry_type_error error = blank_error();
  void* handle = table_.on_codec_stream_open(instance_, static_cast<uint32_t>(settings.mode), settings.agreed_features,
                                             settings.max_message_size, &error);
  if (handle == nullptr) return PluginError::from(error.code != FERRY_OK ? error.code : FERRY_ERR_INTERNAL, error);
  return std::make_unique<CodecStream>(shared_from_this(), handle);
}

}  // namespace ferry::plugin
