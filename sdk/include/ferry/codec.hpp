// ferry C++ codec layer: derive from ferry::sdk::Codec, return a CodecStream from open(), register with
// FERRY_CODEC_PLUGIN(Class). Header-only, compiled into the plugin.
//
// A codec is one wire-protocol version, sans-I/O: bytes in, events out; messages in, bytes out. Its
// version comes from `static constexpr CodecVersion version()` and its feature mask from the bits of
// PluginInfo::features, so the names the host shows and the mask it negotiates cannot disagree.
//
// Thread safety: the host uses one CodecStream from one thread at a time; different streams of one
// Codec may be used from different threads concurrently, so a Codec's own state must be thread-safe.
// Throw ferry::sdk::Error to fail a hook; the message reaches the log and the peer's refusal reason.
#ifndef FERRY_CODEC_HPP
#define FERRY_CODEC_HPP

#include <cstdio>
#include <ferry/plugin.hpp>
#include <memory>

namespace ferry::sdk {

struct CodecVersion {
  uint16_t major = 0;
  uint16_t minor = 0;
};

// What the host negotiated for one connection.
struct StreamOptions {
  uint32_t mode = FERRY_CODEC_MODE_STABLE;  // FERRY_CODEC_MODE_*
  uint64_t agreed_features = 0;             // always a subset of the codec's mask (checked before open)
  uint64_t max_message_size = 0;            // bound on one encoded message header, in bytes
};

// The answer of CodecStream::encode_payload_prefix.
struct PayloadPrefix {
  size_t size = 0;            // bytes of prefix; when above output.size(), nothing was written
  uint64_t piece_length = 0;  // payload bytes the host may write after the prefix
};

// The answer of CodecStream::decode: at most one event, and how much input it used.
struct Decoded {
  uint32_t kind = FERRY_DECODE_NEED_MORE;  // FERRY_DECODE_*
  size_t consumed = 0;
  ferry_type_message message{};      // kind == MESSAGE; fields live in the storage decode was given
  const uint8_t* payload = nullptr;  // kind == PAYLOAD: a piece of the input
  size_t payload_length = 0;
  // Nonzero when the field storage was too small for the next message: nothing was consumed, and the
  // host retries with at least this many fields (the hook answers FERRY_ERR_NO_SPACE and puts the count
  // in event->message.field_count).
  size_t fields_needed = 0;
};

class CodecStream {
 public:
  virtual ~CodecStream() = default;
  // Writes the header of message (not its payload) into output and returns its size. When the size
  // exceeds output.size(), writes nothing and returns the size needed: no exception on that path.
  virtual size_t encode(const ferry_type_message& message, std::span<uint8_t> output) = 0;
  // Writes what precedes the next piece of a payload of payload_remaining bytes.
  virtual PayloadPrefix encode_payload_prefix(uint64_t payload_remaining, std::span<uint8_t> output) = 0;
  // Consumes input, producing at most one event. Bytes fields and payload pieces point into input.
  virtual Decoded decode(std::span<const uint8_t> input, std::span<ferry_type_field> fields) = 0;
};

class Codec {
 public:
  virtual ~Codec() = default;
  virtual std::unique_ptr<CodecStream> open(const StreamOptions& options) = 0;
};

inline uint64_t feature_mask_of(std::span<const ferry_type_feature> features) {
  uint64_t mask = 0;
  for (const ferry_type_feature& feature : features)
    if (feature.bit < 64) mask |= uint64_t{1} << feature.bit;
  return mask;
}

namespace detail {

struct CodecInstance {
  std::unique_ptr<Codec> codec;
  uint64_t feature_mask;
};

template <typename C>
struct CodecAdapter {
  static void* create(const ferry_type_host_services* host, const ferry_type_config_view* config,
                      ferry_type_error* error) {
    CodecInstance* instance = nullptr;
    guard(error, [&] {
      auto made = std::make_unique<CodecInstance>(
          CodecInstance{std::make_unique<C>(Host(host, config)), feature_mask_of(C::info().features)});
      instance = made.release();
    });
    return instance;
  }

  static void destroy(void* instance) { delete static_cast<CodecInstance*>(instance); }

  static void* stream_open(void* instance, uint32_t mode, uint64_t agreed_features, uint64_t max_message_size,
                           ferry_type_error* error) {
    auto* owner = static_cast<CodecInstance*>(instance);
    CodecStream* stream = nullptr;
    guard(error, [&] {
      if (mode != FERRY_CODEC_MODE_STABLE && mode != FERRY_CODEC_MODE_ROLLING)
        throw Error(FERRY_ERR_INVALID_ARGUMENT, "unknown codec mode " + std::to_string(mode));
      if ((agreed_features & ~owner->feature_mask) != 0)
        throw Error(FERRY_ERR_INVALID_ARGUMENT, "agreed features 0x" + hex(agreed_features) +
                                                    " include bits this codec does not support (its mask is 0x" +
                                                    hex(owner->feature_mask) + ")");
      auto opened = owner->codec->open(StreamOptions{mode, agreed_features, max_message_size});
      if (!opened) throw Error(FERRY_ERR_INTERNAL, "codec returned no stream");
      stream = opened.release();
    });
    return stream;
  }

  static void stream_close(void* stream) { delete static_cast<CodecStream*>(stream); }

  static ferry_type_status encode(void* stream, const ferry_type_message* message, uint8_t* output, size_t capacity,
                                  size_t* written, ferry_type_error* error) {
    size_t size = 0;
    const ferry_type_status status = guard(error, [&] {
      if (message == nullptr) throw Error(FERRY_ERR_INVALID_ARGUMENT, "no message to encode");
      size = static_cast<CodecStream*>(stream)->encode(*message, std::span<uint8_t>(output, capacity));
    });
    if (status != FERRY_OK) return status;
    *written = size;
    if (size > capacity) return no_space(error, "the message", size, capacity);
    return FERRY_OK;
  }

  static ferry_type_status encode_payload_prefix(void* stream, uint64_t payload_remaining, uint8_t* output,
                                                 size_t capacity, size_t* written, uint64_t* piece_length,
                                                 ferry_type_error* error) {
    PayloadPrefix prefix;
    const ferry_type_status status = guard(error, [&] {
      prefix = static_cast<CodecStream*>(stream)->encode_payload_prefix(payload_remaining,
                                                                        std::span<uint8_t>(output, capacity));
    });
    if (status != FERRY_OK) return status;
    *written = prefix.size;
    if (prefix.size > capacity) return no_space(error, "the payload prefix", prefix.size, capacity);
    *piece_length = prefix.piece_length;
    return FERRY_OK;
  }

  static ferry_type_status decode(void* stream, const uint8_t* input, size_t length, size_t* consumed,
                                  ferry_type_decode_event* event, ferry_type_error* error) {
    Decoded decoded;
    *consumed = 0;
    event->kind = FERRY_DECODE_NEED_MORE;
    const ferry_type_status status = guard(error, [&] {
      decoded = static_cast<CodecStream*>(stream)->decode(
          std::span<const uint8_t>(input, length),
          std::span<ferry_type_field>(event->fields_host_ptr, event->field_capacity));
    });
    if (status != FERRY_OK) return status;
    if (decoded.fields_needed != 0) {
      event->message.field_count = static_cast<uint16_t>(decoded.fields_needed);
      fill_error(error, FERRY_ERR_NO_SPACE,
                 "the next message has " + std::to_string(decoded.fields_needed) + " fields, the host gave room for " +
                     std::to_string(event->field_capacity));
      return FERRY_ERR_NO_SPACE;
    }
    *consumed = decoded.consumed;
    event->kind = decoded.kind;
    event->message = decoded.message;
    event->payload = decoded.payload;
    event->payload_length = decoded.payload_length;
    return FERRY_OK;
  }

  static const ferry_type_codec_vtable& vtable() {
    static const ferry_type_codec_vtable table{sizeof(ferry_type_codec_vtable),
                                               C::version().major,
                                               C::version().minor,
                                               feature_mask_of(C::info().features),
                                               &create,
                                               &destroy,
                                               &stream_open,
                                               &stream_close,
                                               &encode,
                                               &encode_payload_prefix,
                                               &decode};
    return table;
  }

 private:
  // The host retries with a bigger buffer after this, so it is an ordinary path: no allocation.
  static ferry_type_status no_space(ferry_type_error* error, const char* what, size_t needed, size_t capacity) {
    if (error != nullptr) {
      error->code = FERRY_ERR_NO_SPACE;
      std::snprintf(error->message, sizeof error->message, "%s needs %zu bytes, the buffer has %zu", what, needed,
                    capacity);
    }
    return FERRY_ERR_NO_SPACE;
  }

  static std::string hex(uint64_t value) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    do {
      text.insert(text.begin(), digits[value & 0xf]);
      value >>= 4;
    } while (value != 0);
    return text;
  }
};

}  // namespace detail
}  // namespace ferry::sdk

// Registers Class as this shared object's codec plugin. Class derives from ferry::sdk::Codec, is
// constructible from a ferry::sdk::Host, and has `static ferry::sdk::PluginInfo info()` and
// `static constexpr ferry::sdk::CodecVersion version()`.
#define FERRY_CODEC_PLUGIN(Class)                                                               \
  extern "C" FERRY_PLUGIN_EXPORT const ferry_type_plugin_descriptor* ferry_plugin_entry(void) { \
    static const ferry_type_plugin_descriptor descriptor = ::ferry::sdk::make_descriptor(       \
        FERRY_KIND_CODEC, Class::info(), &::ferry::sdk::detail::CodecAdapter<Class>::vtable()); \
    return &descriptor;                                                                         \
  }

#endif  // FERRY_CODEC_HPP
