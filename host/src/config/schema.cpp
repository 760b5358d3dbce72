#include "config/schema.hpp"

#include <algorithm>
#include <array>

#include "config/peer_entry.hpp"
#include "config/string_checks.hpp"

namespace ferry::config {
namespace {

constexpr int64_t KiB = 1 << 10;
constexpr int64_t MiB = 1 << 20;
constexpr int64_t GiB = 1 << 30;
constexpr int64_t ms = 1;
constexpr int64_t s = 1000 * ms;
constexpr int64_t minute = 60 * s;
constexpr int64_t hour = 60 * minute;
constexpr int64_t day = 24 * hour;

constexpr std::array<std::string_view, 2> queue_full_choices{"wait", "error"};
constexpr std::array<std::string_view, 2> checksum_choices{"crc32c", "none"};
constexpr std::array<std::string_view, 3> sendfile_choices{"auto", "always", "never"};
constexpr std::array<std::string_view, 2> tls_version_choices{"1.2", "1.3"};
constexpr std::array<std::string_view, 7> log_level_choices{"trace", "debug",    "info", "warn",
                                                            "error", "critical", "off"};
constexpr std::array<std::string_view, 2> log_format_choices{"text", "json"};

constexpr std::array<std::string_view, 8> section_names{"node", "transport", "protocol", "communication",
                                                        "tls",  "stream",    "admin",    "log"};

// Spelling the section and key once keeps the file's names identical to Config's member names.
#define FERRY_KEY(section, key) #section, #key, +[](Config& c) -> auto& { return c.section.key; }

const std::vector<KeySpec>& table() {
  static const std::vector<KeySpec> keys{
      {FERRY_KEY(node, name), 0, unbounded, {}, check_node_name},
      {FERRY_KEY(node, id), 0, unbounded, {}, check_uuid_or_empty},
      {FERRY_KEY(node, cluster), 0, unbounded, {}, check_node_name},
      {FERRY_KEY(node, data_dir), 0, unbounded, {}, check_not_empty},
      {FERRY_KEY(node, plugin_dirs), 0, unbounded, {}, check_not_empty},

      {FERRY_KEY(transport, plugin), 0, unbounded, {}, check_plugin_name},
      // Addresses mean whatever the transport plugin makes of them, so only emptiness is checked here,
      // and the node id a peer entry may start with.
      {FERRY_KEY(transport, listen), 0, unbounded, {}, check_not_empty},
      {FERRY_KEY(transport, peers), 0, unbounded, {}, check_peer},

      {FERRY_KEY(protocol, max_version), 0, unbounded, {}, check_version_or_empty},
      {FERRY_KEY(protocol, require_features), 0, unbounded, {}, check_feature_name},
      {FERRY_KEY(protocol, disable_features), 0, unbounded, {}, check_feature_name},

      {FERRY_KEY(communication, io_threads), 1, 64},
      {FERRY_KEY(communication, ack_threshold), 1, 65535},
      {FERRY_KEY(communication, ack_interval), 1 * ms, 1 * minute},
      {FERRY_KEY(communication, unacked_limit), 1, 1 << 20},
      {FERRY_KEY(communication, message_queue_limit), 1, 1 << 20},
      {FERRY_KEY(communication, queue_full), 0, unbounded, queue_full_choices},
      {FERRY_KEY(communication, connections_per_peer), 1, 16},
      {FERRY_KEY(communication, paired_connections)},
      {FERRY_KEY(communication, idle_timeout), 0, 7 * day},
      {FERRY_KEY(communication, connect_timeout), 100 * ms, 10 * minute},
      {FERRY_KEY(communication, max_connect_timeout), 100 * ms, 1 * hour},
      {FERRY_KEY(communication, handshake_timeout), 100 * ms, 10 * minute},
      {FERRY_KEY(communication, reconnect_attempts), 0, 1000000},
      {FERRY_KEY(communication, allowed_nodes), 0, unbounded, {}, check_node_name},
      {FERRY_KEY(communication, cluster_secret_file)},
      {FERRY_KEY(communication, max_message_size), 1 * KiB, 1 * GiB},
      {FERRY_KEY(communication, checksum), 0, unbounded, checksum_choices},
      {FERRY_KEY(communication, sendfile), 0, unbounded, sendfile_choices},

      {FERRY_KEY(tls, enabled)},
      {FERRY_KEY(tls, required)},
      {FERRY_KEY(tls, cert)},
      {FERRY_KEY(tls, key)},
      {FERRY_KEY(tls, ca)},
      {FERRY_KEY(tls, require_client_cert)},
      {FERRY_KEY(tls, min_version), 0, unbounded, tls_version_choices},
      {FERRY_KEY(tls, cipher_suites)},

      {FERRY_KEY(stream, chunk_size), 4 * KiB, 64 * MiB},
      {FERRY_KEY(stream, max_retries), 0, 100},
      {FERRY_KEY(stream, throughput_limit), 0, unbounded},
      {FERRY_KEY(stream, export_roots), 0, unbounded, {}, check_not_empty},
      {FERRY_KEY(stream, default_sink), 0, unbounded, {}, check_plugin_name},
      {FERRY_KEY(stream, keepalive_interval), 100 * ms, 1 * hour},
      {FERRY_KEY(stream, skip_held)},

      {FERRY_KEY(admin, enabled)},
      {FERRY_KEY(admin, listen), 0, unbounded, {}, check_host_port},
      {FERRY_KEY(admin, token_file)},

      {FERRY_KEY(log, level), 0, unbounded, log_level_choices},
      {FERRY_KEY(log, format), 0, unbounded, log_format_choices},
  };
  return keys;
}

#undef FERRY_KEY

}  // namespace

std::span<const KeySpec> schema() { return table(); }

std::span<const std::string_view> sections() { return section_names; }

const KeySpec* find_key(std::string_view section, std::string_view name) {
  const auto& keys = table();
  auto it =
      std::find_if(keys.begin(), keys.end(), [&](const KeySpec& k) { return k.section == section && k.name == name; });
  return it == keys.end() ? nullptr : &*it;
}

bool is_section(std::string_view name) {
  return std::find(section_names.begin(), section_names.end(), name) != section_names.end();
}

}  // namespace ferry::config
