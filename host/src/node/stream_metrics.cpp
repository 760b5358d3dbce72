#include "node/stream_metrics.hpp"

namespace ferry::node {
namespace {

constexpr const char* kBytesHelp = "File bytes streamed in sessions: acknowledged by the peer, or arrived from it";
constexpr const char* kRetriesHelp = "Files sent again after a failed attempt, by which side asked for it";

}  // namespace

const StreamMetrics& stream_metrics() {
  auto& registry = metrics::registry();
  static const StreamMetrics instance{
      registry.counter("stream_bytes", kBytesHelp, {{"direction", "sent"}}),
      registry.counter("stream_bytes", kBytesHelp, {{"direction", "received"}}),
      registry.counter("stream_file_retries", kRetriesHelp, {{"asked_by", "local"}}),
      registry.counter("stream_file_retries", kRetriesHelp, {{"asked_by", "peer"}}),
  };
  return instance;
}

}  // namespace ferry::node
