#include "node/node_metrics.hpp"

#include <map>

#include "comm/traffic_metrics.hpp"
#include "metrics/registry.hpp"
#include "node/stream_metrics.hpp"
#include "plugin/plugin_metrics.hpp"
#include "version.hpp"

namespace ferry::node {
namespace {

constexpr stream::State kStates[] = {stream::State::initialized,   stream::State::preparing, stream::State::streaming,
                                     stream::State::wait_complete, stream::State::complete,  stream::State::failed};

std::vector<metrics::Sample> collect(const comm::Communicator& communicator, const StreamService& streams) {
  std::vector<metrics::Sample> samples;
  std::map<std::string, double> by_transport;
  double queued = 0, unacknowledged = 0;
  for (const auto& connection : communicator.connections()) {
    ++by_transport[connection.transport];
    queued += static_cast<double>(connection.queued);
    unacknowledged += static_cast<double>(connection.unacknowledged);
  }
  for (const auto& [transport, count] : by_transport)
    samples.push_back({"connections_open", {{"transport", transport}}, count});
  samples.push_back({"queue_messages", {{"state", "queued"}}, queued});
  samples.push_back({"queue_messages", {{"state", "unacknowledged"}}, unacknowledged});

  std::map<stream::State, double> by_state;
  for (const auto state : kStates) by_state[state] = 0;
  for (const auto& report : streams.sessions()) ++by_state[report.state];
  for (const auto& [state, count] : by_state) samples.push_back({"stream_sessions", {{"state", stream::state_name(state)}}, count});
  return samples;
}

}  // namespace

NodeMetrics::NodeMetrics(const comm::Communicator& communicator, const StreamService& streams) {
  auto& registry = metrics::registry();
  // Every family is listed from the start, before its first event.
  comm::traffic_metrics();
  comm::declare_handshake_metrics();
  stream_metrics();
  plugin::plugin_refusals();
  registry.gauge("build_info", "The running ferry's version (always 1)", {{"version", FERRY_VERSION}}).set(1);
  registry.describe("connections_open", "Live peer connections, by transport", metrics::Type::gauge);
  registry.describe("queue_messages",
                    "Messages on live connections' links: queued to be written, or written and not yet acknowledged",
                    metrics::Type::gauge);
  registry.describe("stream_sessions", "Streaming sessions the node holds, by state", metrics::Type::gauge);
  collector_ = registry.add_collector([&communicator, &streams] { return collect(communicator, streams); });
}

NodeMetrics::~NodeMetrics() { metrics::registry().remove_collector(collector_); }

}  // namespace ferry::node
