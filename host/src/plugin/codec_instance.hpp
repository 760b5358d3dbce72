// A codec created from a loaded codec plugin, and its per-connection streams, driven through the C ABI.
// No I/O here: the connection code feeds received bytes to decode() and writes what encode() appends.
//
// Thread safety: a CodecInstance may open streams from any thread; one CodecStream is used by one thread
// at a time (the connection's I/O thread). A stream keeps its instance, and so the library, alive.
#pragma once

#include <ferry/abi.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "plugin/instance_context.hpp"
#include "plugin/plugin_error.hpp"
#include "protocol/message.hpp"

namespace ferry::plugin {

struct CodecVersion {
  uint16_t major = 0;
  uint16_t minor = 0;

  std::string text() const { return std::to_string(major) + "." + std::to_string(minor); }
  friend auto operator<=>(const CodecVersion&, const CodecVersion&) = default;
};

enum class CodecMode : uint32_t { stable = FERRY_CODEC_MODE_STABLE, rolling = FERRY_CODEC_MODE_ROLLING };

struct StreamSettings {
  CodecMode mode = CodecMode::stable;
  uint64_t agreed_features = 0;
  uint64_t max_message_size = 0;  // bound on one encoded message header
};

enum class DecodeKind { need_more, message, payload };

struct Decoded {
  DecodeKind kind = DecodeKind::need_more;
  size_t consumed = 0;               // bytes of the input used; keep the rest for the next call
  ferry_type_message message{};      // kind == message; read it through protocol::MessageView
  std::span<const uint8_t> payload;  // kind == payload: the next piece of the current payload
};

class CodecInstance;

class CodecStream {
 public:
  CodecStream(std::shared_ptr<const CodecInstance> owner, void* handle);
  ~CodecStream();
  CodecStream(const CodecStream&) = delete;
  CodecStream& operator=(const CodecStream&) = delete;

  // Appends the message's encoded header (not its payload) to out; out is unchanged on failure.
  std::optional<PluginError> encode(const ferry_type_message& message, std::vector<uint8_t>& out);
  std::optional<PluginError> encode(const protocol::Message& message, std::vector<uint8_t>& out) {
    return encode(message.view(), out);
  }
  // Appends what precedes the next piece of a payload to out and returns how many payload bytes that
  // piece may carry; the host writes them itself.
  std::variant<uint64_t, PluginError> encode_payload_prefix(uint64_t payload_remaining, std::vector<uint8_t>& out);
  // At most one event from the front of input. A decoded message's fields, and payload pieces, stay valid
  // until the next call; bytes fields point into input. A PluginError (FERRY_ERR_PROTOCOL for bad bytes)
  // ends the stream.
  std::variant<Decoded, PluginError> decode(std::span<const uint8_t> input);

 private:
  std::shared_ptr<const CodecInstance> owner_;
  void* handle_;
  std::vector<ferry_type_field> fields_;  // where the codec writes decoded fields; grown when it asks
};

class CodecInstance : public std::enable_shared_from_this<CodecInstance> {
 public:
  static std::variant<std::shared_ptr<CodecInstance>, PluginError> create(std::shared_ptr<Library> library,
                                                                          runtime::EventLoop* loop);
  ~CodecInstance();
  CodecInstance(const CodecInstance&) = delete;
  CodecInstance& operator=(const CodecInstance&) = delete;

  const std::string& name() const { return name_; }
  CodecVersion version() const { return {table_.version_major, table_.version_minor}; }
  uint64_t feature_mask() const { return table_.feature_mask; }

  // A stream for one connection, with what the handshake agreed.
  std::variant<std::unique_ptr<CodecStream>, PluginError> open(const StreamSettings& settings);

 private:
  friend class CodecStream;
  CodecInstance(std::unique_ptr<InstanceContext> context, std::string name);

  // Declared first so it is destroyed last: it keeps the library loaded while the instance goes away.
  std::unique_ptr<InstanceContext> context_;
  std::string name_;
  const ferry_type_codec_vtable& table_;
  void* instance_ = nullptr;
};

}  // namespace ferry::plugin
