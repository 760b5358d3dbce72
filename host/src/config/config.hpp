// The node's configuration: a TOML file, plus `--set KEY=VALUE` overrides, turned into a validated Config.
//
// Contract: the load functions never throw for bad input and never stop at the first problem; they return
// every error with its file, line, column and key, and a Config only when there is none. Plugin keys (those
// of [[sink]] tables besides name and plugin, and of [transport] besides plugin, listen and peers) are kept
// raw at load, because only the plugin knows them: the host checks them later with validate_plugin_keys,
// once the plugin is loaded. All functions are pure (load_file reads its one file) and safe to call from
// any thread. toml++ stays out of this header on purpose, so that code that only reads a Config compiles
// fast.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ferry::config {

// Where a value came from. An override's file is "--set", with line and column 0.
struct Location {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

inline constexpr std::string_view override_source = "--set";

struct ConfigError {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string key;      // full key path: "communication.ack_threshold", "sink.archive.root", "sink[1].name"
  std::string message;  // what was wrong and what was expected
  // "FILE:LINE:COL: KEY: MESSAGE"; "--set KEY: MESSAGE" for an override; "FILE: KEY: MESSAGE" when the
  // problem has no line (a key left at its default); the KEY part is left out when the error has none.
  std::string to_string() const;
};

// A plugin key's value after conversion: sizes in bytes, durations in milliseconds.
using PluginValue = std::variant<std::string, int64_t, bool>;

struct PluginKey {
  std::string name;
  Location location;
  std::variant<std::string, int64_t, bool, double, std::vector<std::string>> raw;  // as written
};

struct SinkSection {
  std::string name;             // unique among sinks, [a-z0-9][a-z0-9._-]*
  std::string plugin;           // the sink plugin's name
  Location location;            // of the [[sink]] header; line 0 for the implicit "null" sink
  Location plugin_location;     // of the plugin value, for errors such as "no such plugin"
  std::vector<PluginKey> keys;  // every key besides name and plugin, in file order
};

struct NodeSection {
  std::string name = "ferry";
  std::string id;  // "" = derived at start; otherwise a UUID
  std::string cluster = "ferry";
  std::string data_dir = "/var/lib/ferry";
  std::vector<std::string> plugin_dirs;  // empty = the plugin directory beside the binary
};

struct TransportSection {
  std::string plugin = "tcp";
  std::string listen = "127.0.0.1:7400";
  std::vector<std::string> peers;
  Location location;            // of the [transport] header; line 0 when the file has none
  Location plugin_location;     // of the plugin value; the section's location when it is not set
  std::vector<PluginKey> keys;  // every key besides plugin, listen and peers, in file order
};

struct ProtocolSection {
  std::string max_version;  // "" = the highest available; otherwise "MAJOR.MINOR"
  std::vector<std::string> require_features;
  std::vector<std::string> disable_features;
};

struct CommunicationSection {
  uint32_t io_threads = 1;
  uint32_t ack_threshold = 32;
  std::chrono::milliseconds ack_interval{100};
  uint32_t unacked_limit = 4096;
  uint32_t message_queue_limit = 1024;
  std::string queue_full = "wait";  // "wait" | "error"
  uint32_t connections_per_peer = 1;
  bool paired_connections = false;
  std::chrono::milliseconds idle_timeout{10 * 60 * 1000};  // 0 = never close an idle connection
  std::chrono::milliseconds connect_timeout{5 * 1000};
  std::chrono::milliseconds max_connect_timeout{60 * 1000};
  std::chrono::milliseconds handshake_timeout{10 * 1000};
  uint32_t reconnect_attempts = 10;
  std::vector<std::string> allowed_nodes;  // empty = any node of the cluster
  std::string cluster_secret_file;         // "" = none
  uint64_t max_message_size = 16ull << 20;
  std::string checksum = "crc32c";  // "crc32c" | "none"
  std::string sendfile = "auto";    // "auto" (to other machines) | "always" | "never"
};

struct TlsSection {
  bool enabled = false;
  bool required = false;
  std::string cert, key, ca;
  bool require_client_cert = true;
  std::string min_version = "1.3";  // "1.2" | "1.3"
  std::string cipher_suites;        // "" = the TLS library's defaults
};

struct StreamSection {
  uint64_t chunk_size = 2ull << 20;
  uint32_t max_retries = 3;
  uint64_t throughput_limit = 0;  // bytes per second, 0 = unlimited
  std::vector<std::string> export_roots;
  std::string default_sink;  // after loading always names a sink (the first one if the file names none)
  std::chrono::milliseconds keepalive_interval{5 * 1000};
  bool skip_held = true;  // skip the files the receiving sink holds with the same size and digest
};

struct AdminSection {
  bool enabled = true;
  std::string listen = "127.0.0.1:7401";
  std::string token_file;  // "" = no token required
};

struct LogSection {
  std::string level = "info";   // trace|debug|info|warn|error|critical|off
  std::string format = "text";  // text|json
};

struct Config {
  std::string source;  // the file path, or "(built-in defaults)"
  NodeSection node;
  TransportSection transport;
  ProtocolSection protocol;
  CommunicationSection communication;
  TlsSection tls;
  StreamSection stream;
  std::vector<SinkSection> sinks;  // never empty after loading: {name "null", plugin "null"} if none given
  AdminSection admin;
  LogSection log;
};

struct LoadResult {
  std::optional<Config> config;       // set only when errors is empty
  std::vector<ConfigError> errors;    // every problem found
  std::vector<std::string> warnings;  // formatted like ConfigError::to_string
};

// `overrides` holds raw "KEY=VALUE" strings from `--set`, applied in order on top of the file.
LoadResult load_file(const std::filesystem::path& file, const std::vector<std::string>& overrides);
LoadResult load_string(std::string_view text, std::string_view source_name, const std::vector<std::string>& overrides);
LoadResult load_defaults(const std::vector<std::string>& overrides);

// Same numbers as FERRY_CONFIG_* in sdk/include/ferry/abi.h.
inline constexpr uint32_t plugin_key_string = 1;
inline constexpr uint32_t plugin_key_integer = 2;
inline constexpr uint32_t plugin_key_boolean = 3;
inline constexpr uint32_t plugin_key_size = 4;
inline constexpr uint32_t plugin_key_duration = 5;

struct PluginKeySpec {
  std::string name;
  uint32_t type = plugin_key_string;
  bool required = false;
  int64_t minimum = 0;  // bytes for sizes, milliseconds for durations; both 0 = unbounded
  int64_t maximum = 0;
};

struct PluginValues {
  std::map<std::string, PluginValue, std::less<>> values;
};

// The plugin keys of one table, as validate_plugin_keys sees them.
struct PluginTable {
  std::string label;                       // errors name keys "LABEL.KEY"; its first part is the plugin's kind
  std::string plugin;                      // the plugin's name, for messages
  Location location;                       // where a missing required key is reported
  std::span<const PluginKey> keys;         // borrowed from the section, which outlives the table
  std::vector<std::string_view> reserved;  // the host's own keys of the table, suggested for typos
};

PluginTable plugin_table(const SinkSection& sink);
PluginTable plugin_table(const TransportSection& transport);

// Checks a table's plugin keys against what its plugin declares (unknown keys, types, ranges, required
// keys) and fills `out` with the converted values of every key that is present and valid. Errors name
// keys "LABEL.KEY".
std::vector<ConfigError> validate_plugin_keys(const PluginTable& table, const std::vector<PluginKeySpec>& spec,
                                              PluginValues& out);

// "4096", "64KiB", "10KB" (= 10000), "1 GiB", "512B". Whole numbers only; nullopt if malformed or > 2^64-1.
std::optional<uint64_t> parse_size(std::string_view text);
// "250ms", "10s", "5m", "2h", "1d", "0s". A unit is required; whole numbers only.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace ferry::config
