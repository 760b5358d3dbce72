#include "config/cross_checks.hpp"

#include <algorithm>

#include "config/string_checks.hpp"
#include "config/units.hpp"

namespace ferry::config {
namespace {

// Room a chunk's message needs besides the chunk itself.
constexpr uint64_t chunk_header_room = 4096;

bool exposed(std::string_view address) {
  if (address.starts_with(':')) return true;  // ":7400" means every interface
  auto parts = split_host_port(address);
  return parts && !is_loopback_host(parts->host);
}

void check_default_sink(Config& config, Diagnostics& diag) {
  auto& sinks = config.sinks;
  if (sinks.empty()) return;  // every [[sink]] table had errors of its own
  std::string& name = config.stream.default_sink;
  if (diag.any_failed({"stream.default_sink"})) return;
  if (name.empty()) {
    name = sinks.front().name;
    return;
  }
  if (std::none_of(sinks.begin(), sinks.end(), [&](const SinkSection& s) { return s.name == name; })) {
    std::string defined;
    for (const SinkSection& sink : sinks) defined += (defined.empty() ? "\"" : ", \"") + sink.name + "\"";
    diag.error(diag.where("stream.default_sink"), "stream.default_sink",
               "no [[sink]] named \"" + name + "\"; defined sinks: " + defined);
  }
}

void check_tls(const TlsSection& tls, Diagnostics& diag) {
  if (diag.any_failed({"tls.enabled", "tls.required"})) return;
  if (tls.required && !tls.enabled)
    diag.error(diag.where("tls.required"), "tls.required", "tls.required = true needs tls.enabled = true");
  if (!tls.enabled) return;
  for (auto [key, value] : {std::pair{"tls.cert", &tls.cert}, {"tls.key", &tls.key}, {"tls.ca", &tls.ca}})
    if (value->empty()) diag.error(diag.where("tls.enabled"), key, "a file path is required when tls.enabled = true");
}

void check_features(const ProtocolSection& protocol, Diagnostics& diag) {
  if (diag.any_failed({"protocol.require_features", "protocol.disable_features"})) return;
  for (const std::string& feature : protocol.disable_features) {
    const auto& required = protocol.require_features;
    if (std::find(required.begin(), required.end(), feature) != required.end())
      diag.error(diag.where("protocol.disable_features"), "protocol.disable_features",
                 "\"" + feature + "\" is also in protocol.require_features");
  }
}

// A node that lowered communication.max_message_size below what the default chunk needs, and chose no
// chunk size, sends the largest chunks its messages carry: the default grew from 1 MiB to 2 MiB, and a
// configuration valid before stays valid.
void fit_default_chunk_size(Config& config, const Diagnostics& diag) {
  constexpr uint64_t kSmallestChunk = 4096;
  if (diag.given("stream.chunk_size") || diag.any_failed({"communication.max_message_size"})) return;
  const uint64_t limit = config.communication.max_message_size;
  if (limit < chunk_header_room + kSmallestChunk) return;  // check_limits names it
  config.stream.chunk_size = std::min(config.stream.chunk_size, limit - chunk_header_room);
}

void check_limits(const Config& config, Diagnostics& diag) {
  const auto& communication = config.communication;
  bool timeouts_valid = !diag.any_failed({"communication.connect_timeout", "communication.max_connect_timeout"});
  bool sizes_valid = !diag.any_failed({"stream.chunk_size", "communication.max_message_size"});
  bool acks_valid = !diag.any_failed({"communication.unacked_limit", "communication.ack_threshold"});
  if (timeouts_valid && communication.max_connect_timeout < communication.connect_timeout)
    diag.error(diag.where("communication.max_connect_timeout"), "communication.max_connect_timeout",
               "expected at least communication.connect_timeout (" +
                   format_duration(communication.connect_timeout.count()) + "), got " +
                   format_duration(communication.max_connect_timeout.count()));
  if (sizes_valid && config.stream.chunk_size + chunk_header_room > communication.max_message_size) {
    uint64_t room = communication.max_message_size - std::min(communication.max_message_size, chunk_header_room);
    diag.error(diag.where("stream.chunk_size"), "stream.chunk_size",
               "expected at most " + format_size(room) + " (communication.max_message_size " +
                   format_size(communication.max_message_size) + " minus " + format_size(chunk_header_room) +
                   " for the message header, since a chunk travels in one message), got " +
                   format_size(config.stream.chunk_size));
  }
  if (acks_valid && communication.unacked_limit < communication.ack_threshold)
    diag.warning(diag.where("communication.unacked_limit"), "communication.unacked_limit",
                 "below communication.ack_threshold (" + std::to_string(communication.ack_threshold) +
                     "): senders will stall until each ack_interval");
}

void warn_exposure(const Config& config, Diagnostics& diag) {
  const std::string& listen = config.transport.listen;
  if (exposed(listen) && !config.tls.enabled && config.communication.cluster_secret_file.empty())
    diag.warning(diag.where("transport.listen"), "transport.listen",
                 "listening on " + listen + " without TLS or a cluster secret: any host that can reach it may connect");
  const AdminSection& admin = config.admin;
  if (admin.enabled && exposed(admin.listen) && admin.token_file.empty())
    diag.warning(diag.where("admin.listen"), "admin.listen",
                 "admin endpoint on " + admin.listen +
                     " without admin.token_file: any host that can reach it may "
                     "read status and metrics");
}

}  // namespace

void cross_check(Config& config, Diagnostics& diag) {
  check_default_sink(config, diag);
  check_tls(config.tls, diag);
  check_features(config.protocol, diag);
  fit_default_chunk_size(config, diag);
  check_limits(config, diag);
  warn_exposure(config, diag);
}

}  // namespace ferry::config
