#include "admin/node_api.hpp"

#include <catch2/catch.hpp>

using namespace ferry;

namespace {

admin::NodeView sample_view() {
  admin::NodeView view;
  view.name = "alpha \"one\"";
  view.id = "id-1";
  view.cluster = "c";
  view.listen = "127.0.0.1:7400";
  view.admin_listen = "127.0.0.1:7401";
  view.configured_peers = {"127.0.0.1:9000", "11111111-2222-4333-8444-555555555555@10.0.0.2:7400"};
  view.ready = [] { return true; };
  view.connections = [] {
    comm::ConnectionSummary c;
    c.peer_id = "11111111-2222-4333-8444-555555555555";
    c.peer_name = "beta";
    c.peer_address = "10.0.0.2:7400";
    c.transport = "tcp";
    c.version = "1.1";
    c.mode = "rolling";
    c.features = "checksum";
    c.queued = 3;
    c.unacknowledged = 7;
    c.sendfile = true;
    return std::vector<comm::ConnectionSummary>{c};
  };
  view.sessions = [] { return std::vector<node::SessionReport>{}; };
  view.plugins = [] { return std::vector<admin::PluginSummary>{{"sink", "fs", "1.0.0", "/p/sink-fs.so"}}; };
  return view;
}

}  // namespace

TEST_CASE("status names the node, escapes its text and marks which configured peers are connected") {
  const std::string json = admin::status_json(sample_view());
  CHECK(json.find("\"name\":\"alpha \\\"one\\\"\"") != std::string::npos);
  CHECK(json.find("{\"address\":\"127.0.0.1:9000\",\"expected_id\":\"\",\"connected\":false}") != std::string::npos);
  CHECK(json.find("\"address\":\"10.0.0.2:7400\",\"expected_id\":\"11111111-2222-4333-8444-555555555555\","
                  "\"connected\":true") != std::string::npos);
  CHECK(json.find("\"codec_version\":\"1.1\",\"mode\":\"rolling\"") != std::string::npos);
  CHECK(json.find("\"queued\":3,\"unacknowledged\":7,\"sendfile\":true") != std::string::npos);
  CHECK(json.find("\"plugins\":[{\"kind\":\"sink\",\"name\":\"fs\"") != std::string::npos);
}

TEST_CASE("sessions report progress, role, state and the reason of a failure") {
  node::SessionReport report;
  report.session = "s-1";
  report.peer = "p";
  report.role = stream::Role::follower;
  report.state = stream::State::failed;
  report.reason = "disk full";
  report.bytes_to_receive = 100;
  report.bytes_received = 40;
  report.retries = 2;
  report.elapsed = std::chrono::seconds(2);
  const std::string json = admin::sessions_json({report});
  CHECK(json.starts_with("{\"sessions\":[{\"session\":\"s-1\",\"peer\":\"p\",\"role\":\"follower\",\"state\":\"FAILED\""));
  CHECK(json.find("\"bytes_to_receive\":100,\"bytes_received\":40,\"seconds\":2.000,\"bytes_per_s\":20,\"retries\":2") !=
        std::string::npos);
  CHECK(json.find("\"reason\":\"disk full\"") != std::string::npos);
  CHECK(admin::sessions_json({}) == "{\"sessions\":[]}");
}
