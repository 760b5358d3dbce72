// The node's streaming sessions (docs/streaming.md): sessions keyed by their UUID, driven by
// SessionDriver, fed by the communication layer's stream handlers, ticked every stream.keepalive_interval.
// A follower's session starts when a STREAM_PREPARE arrives; it serves requests from
// stream.export_roots and receives into the node's default sink.
//
// Memory: a node holds at most kSendBytes of chunks read or unacknowledged over all its sessions, and
// stops reading from its connections while kReceiveBytes of received chunks wait for their sink.
//
// Thread safety: every member may be called from any thread. Asio stays out of this header.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "config/config.hpp"
#include "node/session_report.hpp"
#include "plugin/sink_instance.hpp"
#include "stream/session_types.hpp"

namespace ferry::runtime {
class EventLoop;
}

namespace ferry::node {

class StreamService {
 public:
  static constexpr uint64_t kSendBytes = 16u << 20;
  static constexpr uint64_t kReceiveBytes = 16u << 20;

  struct Options {
    config::StreamSection stream;
    std::shared_ptr<plugin::SinkInstance> sink;  // where received files go
    unsigned workers = 2;                        // threads for sink calls and source reads
  };
  using Finished = std::function<void(const SessionReport&)>;

  StreamService(comm::Communicator& communicator, runtime::EventLoop& loop, Options options);
  ~StreamService();
  StreamService(const StreamService&) = delete;
  StreamService& operator=(const StreamService&) = delete;

  // Sets the communicator's stream handlers and read gate: before it listens or connects.
  void attach();
  // From the communicator's connected and departed handlers: which features each peer agreed (chunk
  // checksums, skip_held), and which left (their sessions fail).
  void connected(const comm::ConnectionSummary& connection);
  void departed(const std::string& peer_id, const std::string& reason);

  // Starts a session with peer as its initiator; returns its UUID. on_finished is called once, under
  // the service's lock (it must not call back into the service), when it is COMPLETE or FAILED.
  std::string start(const std::string& peer_id, std::vector<stream::SourceFile> sends,
                    std::vector<std::string> requests, Finished on_finished);
  std::optional<SessionReport> report(const std::string& session) const;
  // The sessions under way and the last finished ones (up to a thousand), finished first.
  std::vector<SessionReport> sessions() const;
  // Fails every session with reason (telling the peers) and stops taking new ones.
  void stop(const std::string& reason);

 private:
  struct Core;
  std::shared_ptr<Core> core_;
};

}  // namespace ferry::node
