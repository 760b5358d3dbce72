// `ferry status [--admin ADDR] [-c FILE] [--json]`: asks a running node's admin endpoint for /v1/status
// and /v1/sessions and prints its peers, connections and sessions as tables, or both documents as one
// JSON object. The address and the token come from -c FILE's [admin] unless --admin is given.
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "admin/client.hpp"
#include "admin/json_reader.hpp"
#include "admin/token_file.hpp"
#include "cli/commands.hpp"
#include "cli/config_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/text_table.hpp"
#include "cli/transfer_progress.hpp"

namespace ferry::cli {
namespace {

struct StatusOptions {
  ConfigOptions config;
  std::string admin;
  double timeout_s = 10;
  bool json = false;
};

using admin::JsonValue;

// The document at path, or "" after printing why it could not be had.
std::string fetch(const std::string& address, const std::string& path, const std::string& token,
                  const StatusOptions& options) {
  const auto timeout = std::chrono::milliseconds(static_cast<int64_t>(options.timeout_s * 1000));
  const admin::Answer answer = admin::get(address, path, token, timeout);
  if (!answer.error.empty()) {
    std::cerr << "error: cannot reach the node's admin endpoint at " << address << ": " << answer.error
              << " (is the node running, with [admin] enabled? give its address with --admin or -c FILE)\n";
    return {};
  }
  if (answer.status != 200) {
    const auto read = admin::read_json(answer.body);
    const std::string reason = read.error.empty() ? read.value.text_of("error", answer.body) : answer.body;
    std::cerr << "error: " << address << path << " answered " << answer.status << ": " << reason << '\n';
    return {};
  }
  return answer.body;
}

uint64_t number(const JsonValue& value, const std::string& name) {
  const std::string text = value.text_of(name, "0");
  return text.empty() ? 0 : std::stoull(text);
}

std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

void print_status(const JsonValue& status, const JsonValue& sessions) {
  const JsonValue* node = status.member("node");
  if (node) {
    std::cout << "node " << node->text_of("name") << " (" << node->text_of("id") << ") of cluster "
              << node->text_of("cluster") << ", ferry " << node->text_of("version") << ", "
              << (node->text_of("ready") == "true" ? "ready" : "not ready") << '\n'
              << "listening on " << node->text_of("listen") << ", admin endpoint on " << node->text_of("admin_listen")
              << "\n";
  }
  TextTable peers({"PEER ADDRESS", "EXPECTED NODE", "CONNECTED"});
  if (const JsonValue* list = status.member("peers"))
    for (const auto& peer : list->items)
      peers.add({peer.text_of("address"), or_dash(peer.text_of("expected_id")),
                 peer.text_of("connected") == "true" ? "yes" : "no"});
  std::cout << "\nPeers\n" << peers.render();

  TextTable connections({"PEER", "ADDRESS", "INDEX", "DIRECTION", "TRANSPORT", "PROTOCOL", "MODE", "FEATURES", "TLS",
                         "QUEUED", "UNACKED"});
  if (const JsonValue* list = status.member("connections"))
    for (const auto& c : list->items)
      connections.add({c.text_of("peer_name"), c.text_of("peer_address"), c.text_of("connection_index"),
                       c.text_of("initiated") == "true" ? "out" : "in", c.text_of("transport"),
                       c.text_of("codec_version"), c.text_of("mode"), or_dash(c.text_of("features")), c.text_of("tls"),
                       c.text_of("queued"), c.text_of("unacknowledged")});
  std::cout << "\nConnections\n" << connections.render();

  TextTable table({"SESSION", "PEER", "ROLE", "STATE", "FILES", "BYTES", "RATE", "RETRIES", "REASON"});
  if (const JsonValue* list = sessions.member("sessions"))
    for (const auto& s : list->items) {
      const uint64_t files = number(s, "files_sent") + number(s, "files_received");
      const uint64_t files_total = number(s, "files_to_send") + number(s, "files_to_receive");
      const uint64_t bytes = number(s, "bytes_sent") + number(s, "bytes_received");
      const uint64_t bytes_total = number(s, "bytes_to_send") + number(s, "bytes_to_receive");
      table.add({s.text_of("session"), s.text_of("peer"), s.text_of("role"), s.text_of("state"),
                 std::to_string(files) + "/" + std::to_string(files_total),
                 human_bytes(static_cast<double>(bytes)) + "/" + human_bytes(static_cast<double>(bytes_total)),
                 human_bytes(static_cast<double>(number(s, "bytes_per_s"))) + "/s", s.text_of("retries"),
                 or_dash(s.text_of("reason"))});
    }
  std::cout << "\nSessions\n" << table.render();

  TextTable plugins({"PLUGIN", "KIND", "VERSION"});
  if (const JsonValue* list = status.member("plugins"))
    for (const auto& p : list->items) plugins.add({p.text_of("name"), p.text_of("kind"), p.text_of("version")});
  std::cout << "\nPlugins\n" << plugins.render();
}

int status(const StatusOptions& options) {
  const auto config = options.config.load(false);
  if (!config) return exit_invalid;
  std::string address = options.admin;
  if (address.empty()) {
    if (!config->admin.enabled) {
      std::cerr << "error: admin.enabled is false in " << config->source
                << ": the node serves no admin endpoint (give one with --admin ADDR)\n";
      return exit_invalid;
    }
    address = config->admin.listen;
  }
  std::string token;
  if (!config->admin.token_file.empty()) {
    auto read = admin::read_token_file(config->admin.token_file);
    if (!read.error.empty()) {
      std::cerr << "error: " << read.error << '\n';
      return exit_invalid;
    }
    token = std::move(read.token);
  }
  const std::string status_text = fetch(address, "/v1/status", token, options);
  if (status_text.empty()) return exit_runtime;
  const std::string sessions_text = fetch(address, "/v1/sessions", token, options);
  if (sessions_text.empty()) return exit_runtime;
  if (options.json) {
    std::cout << "{\"status\":" << status_text.substr(0, status_text.find_last_not_of('\n') + 1)
              << ",\"sessions\":" << sessions_text.substr(0, sessions_text.find_last_not_of('\n') + 1) << "}\n";
    return exit_ok;
  }
  const auto status_json = admin::read_json(status_text);
  const auto sessions_json = admin::read_json(sessions_text);
  if (!status_json.error.empty() || !sessions_json.error.empty()) {
    std::cerr << "error: the admin endpoint at " << address << " answered with invalid JSON: "
              << status_json.error << sessions_json.error << '\n';
    return exit_runtime;
  }
  print_status(status_json.value, sessions_json.value);
  return exit_ok;
}

}  // namespace

void add_status_command(CLI::App& app, int& exit_status) {
  auto options = std::make_shared<StatusOptions>();
  CLI::App* command =
      app.add_subcommand("status", "Show a running node's peers, connections and sessions, from its admin endpoint");
  options->config.add_to(*command);
  command->add_option("--admin", options->admin, "The admin endpoint's HOST:PORT (default: admin.listen of -c FILE)");
  command->add_option("--timeout", options->timeout_s, "Seconds to wait for each answer")->check(CLI::Range(0.1, 3600.0));
  command->add_flag("--json", options->json, "Print {\"status\": ..., \"sessions\": ...} as the endpoint gave them");
  command->callback([options, &exit_status] { exit_status = status(*options); });
}

}  // namespace ferry::cli
