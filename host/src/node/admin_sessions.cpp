#include "node/admin_sessions.hpp"

#include <set>
#include <thread>

#include "node/source_files.hpp"

namespace ferry::node {
namespace {

constexpr std::chrono::milliseconds kPoll{50};

// The peer whose live connection was dialled to address, or "".
std::string peer_at(const comm::Communicator& communicator, const std::string& address) {
  for (const auto& connection : communicator.connections())
    if (connection.peer_address == address) return connection.peer_id;
  return {};
}

}  // namespace

admin::SessionStart session_starter(comm::Communicator& communicator, StreamService& streams,
                                    std::chrono::milliseconds wait) {
  // Addresses this endpoint asked the communicator to keep connected: asking twice would keep two loops.
  auto dialled = std::make_shared<std::set<std::string>>();
  return [&communicator, &streams, wait, dialled](const admin::SessionRequest& request)
             -> std::variant<std::string, admin::Response> {
    std::vector<stream::SourceFile> sends;
    for (const auto& path : request.paths)
      if (std::string failure = list_source_files(path, sends); !failure.empty())
        return admin::error_response(422, failure);
    std::string peer = peer_at(communicator, request.to);
    if (peer.empty() && dialled->insert(request.to).second) communicator.connect(request.to);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (peer.empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(kPoll);
      peer = peer_at(communicator, request.to);
    }
    if (peer.empty())
      return admin::error_response(504, "no connection to " + request.to + " within " + std::to_string(wait.count()) +
                                            " ms; the node's log says why");
    return streams.start(peer, std::move(sends), {}, {});
  };
}

}  // namespace ferry::node
