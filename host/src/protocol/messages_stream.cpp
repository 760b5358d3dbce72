#include "protocol/messages_stream.hpp"

#include <type_traits>

#include "stream/wire_lists.hpp"

namespace ferry::protocol::streaming {

namespace {

// Field positions, in catalogue order; every streaming message starts with its session.
enum : size_t { kSession = 0 };
enum PrepareField : size_t { kPrepareFiles = 1, kPrepareBytes, kPrepareRequests, kPrepareMaxRetries };
enum FileField : size_t { kFileFile = 1, kFileAttempt, kFilePath, kFileSize, kFileMode, kFileMtime, kFileRanges, kFileDigest };
enum ChunkField : size_t { kChunkFile = 1, kChunkAttempt, kChunkOffset, kChunkCrc32c };
enum PrepareAckField : size_t { kAckFiles = 1, kAckBytes };
enum FileDoneField : size_t { kDoneFile = 1, kDoneAttempt, kDoneDigest };
enum RetryField : size_t { kRetryFile = 1, kRetryAttempt, kRetryReason };
enum CommittedField : size_t { kCommittedFile = 1 };
enum CheckedField : size_t { kCheckedFile = 1, kCheckedAttempt, kCheckedHeld, kCheckedDigest };
enum FailedField : size_t { kFailedReason = 1 };

std::vector<uint8_t> bytes_vector(std::span<const uint8_t> bytes) { return {bytes.begin(), bytes.end()}; }

}  // namespace

bool is_stream_type(uint16_t type) {
  return type >= FERRY_MSG_STREAM_PREPARE && type <= FERRY_MSG_STREAM_FILE_CHECKED;
}

Message build(const stream::StreamMessage& value, Scratch& scratch) {
  return std::visit(
      [&scratch](const auto& m) -> Message {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, stream::Prepare>) {
          scratch.requests = stream::encode_requests(m.requests);
          Message message(FERRY_MSG_STREAM_PREPARE);
          message.add_uuid(m.session).add_unsigned(m.files).add_unsigned(m.bytes).add_string(scratch.requests);
          message.add_unsigned(m.max_retries);
          return message;
        } else if constexpr (std::is_same_v<T, stream::PrepareAck>) {
          Message message(FERRY_MSG_STREAM_PREPARE_ACK);
          message.add_uuid(m.session).add_unsigned(m.files).add_unsigned(m.bytes);
          return message;
        } else if constexpr (std::is_same_v<T, stream::FileHeader>) {
          scratch.ranges = stream::encode_ranges(m.ranges);
          Message message(FERRY_MSG_STREAM_FILE);
          message.add_uuid(m.session).add_unsigned(m.file).add_unsigned(m.attempt).add_string(m.path);
          message.add_unsigned(m.size).add_unsigned(m.mode).add_signed(m.mtime_ns).add_bytes(scratch.ranges);
          message.add_bytes(m.digest);
          return message;
        } else if constexpr (std::is_same_v<T, stream::Chunk>) {
          Message message(FERRY_MSG_STREAM_CHUNK, m.payload_length);
          message.add_uuid(m.session).add_unsigned(m.file).add_unsigned(m.attempt).add_unsigned(m.offset);
          message.add_unsigned(m.crc32c);
          return message;
        } else if constexpr (std::is_same_v<T, stream::FileDone>) {
          Message message(FERRY_MSG_STREAM_FILE_DONE);
          message.add_uuid(m.session).add_unsigned(m.file).add_unsigned(m.attempt).add_bytes(m.digest);
          return message;
        } else if constexpr (std::is_same_v<T, stream::Retry>) {
          Message message(FERRY_MSG_STREAM_RETRY);
          message.add_uuid(m.session).add_unsigned(m.file).add_unsigned(m.attempt).add_string(m.reason);
          return message;
        } else if constexpr (std::is_same_v<T, stream::FileCommitted>) {
          Message message(FERRY_MSG_STREAM_FILE_COMMITTED);
          message.add_uuid(m.session).add_unsigned(m.file);
          return message;
        } else if constexpr (std::is_same_v<T, stream::FileChecked>) {
          Message message(FERRY_MSG_STREAM_FILE_CHECKED);
          message.add_uuid(m.session).add_unsigned(m.file).add_unsigned(m.attempt).add_boolean(m.held);
          message.add_bytes(m.digest);
          return message;
        } else if constexpr (std::is_same_v<T, stream::Complete>) {
          Message message(FERRY_MSG_STREAM_COMPLETE);
          message.add_uuid(m.session);
          return message;
        } else if constexpr (std::is_same_v<T, stream::Failed>) {
          Message message(FERRY_MSG_STREAM_FAILED);
          message.add_uuid(m.session).add_string(m.reason);
          return message;
        } else {
          Message message(FERRY_MSG_STREAM_KEEPALIVE);
          message.add_uuid(m.session);
          return message;
        }
      },
      value);
}

std::variant<stream::StreamMessage, std::string> read(const MessageView& view) {
  const stream::SessionId session = view.uuid_at(kSession);
  switch (view.type()) {
    case FERRY_MSG_STREAM_PREPARE: {
      auto requests = stream::decode_requests(view.string_at(kPrepareRequests));
      if (auto* wrong = std::get_if<std::string>(&requests)) return "STREAM_PREPARE: " + *wrong;
      return stream::Prepare{session, view.unsigned_at(kPrepareFiles), view.unsigned_at(kPrepareBytes),
                             std::move(std::get<std::vector<std::string>>(requests)),
                             view.unsigned_at(kPrepareMaxRetries)};
    }
    case FERRY_MSG_STREAM_PREPARE_ACK:
      return stream::PrepareAck{session, view.unsigned_at(kAckFiles), view.unsigned_at(kAckBytes)};
    case FERRY_MSG_STREAM_FILE: {
      auto ranges = stream::decode_ranges(view.bytes_at(kFileRanges));
      if (auto* wrong = std::get_if<std::string>(&ranges)) return "STREAM_FILE: " + *wrong;
      return stream::FileHeader{session,
                                view.unsigned_at(kFileFile),
                                view.unsigned_at(kFileAttempt),
                                std::string(view.string_at(kFilePath)),
                                view.unsigned_at(kFileSize),
                                view.unsigned_at(kFileMode),
                                view.signed_at(kFileMtime),
                                std::move(std::get<std::vector<stream::ByteRange>>(ranges)),
                                bytes_vector(view.bytes_at(kFileDigest))};
    }
    case FERRY_MSG_STREAM_CHUNK: {
      const uint64_t crc = view.unsigned_at(kChunkCrc32c);
      if (crc > UINT32_MAX) return "STREAM_CHUNK: crc32c " + std::to_string(crc) + " does not fit 32 bits";
      return stream::Chunk{session,
                           view.unsigned_at(kChunkFile),
                           view.unsigned_at(kChunkAttempt),
                           view.unsigned_at(kChunkOffset),
                           static_cast<uint32_t>(crc),
                           view.payload_length()};
    }
    case FERRY_MSG_STREAM_FILE_DONE:
      return stream::FileDone{session, view.unsigned_at(kDoneFile), view.unsigned_at(kDoneAttempt),
                              bytes_vector(view.bytes_at(kDoneDigest))};
    case FERRY_MSG_STREAM_RETRY:
      return stream::Retry{session, view.unsigned_at(kRetryFile), view.unsigned_at(kRetryAttempt),
                           std::string(view.string_at(kRetryReason))};
    case FERRY_MSG_STREAM_FILE_COMMITTED:
      return stream::FileCommitted{session, view.unsigned_at(kCommittedFile)};
    case FERRY_MSG_STREAM_FILE_CHECKED:
      return stream::FileChecked{session, view.unsigned_at(kCheckedFile), view.unsigned_at(kCheckedAttempt),
                                 view.boolean_at(kCheckedHeld), bytes_vector(view.bytes_at(kCheckedDigest))};
    case FERRY_MSG_STREAM_COMPLETE:
      return stream::Complete{session};
    case FERRY_MSG_STREAM_FAILED:
      return stream::Failed{session, std::string(view.string_at(kFailedReason))};
    default:
      return stream::KeepAlive{session};
  }
}

}  // namespace ferry::protocol::streaming
