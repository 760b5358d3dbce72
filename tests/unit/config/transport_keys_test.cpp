#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::config;
using test::all_errors;
using test::load;

namespace {

const std::vector<PluginKeySpec> tcp_keys{
    {"send_buffer", plugin_key_size, false, 0, 1 << 30},
    {"nodelay", plugin_key_boolean, false, 0, 0},
    {"keepalive_idle", plugin_key_duration, false, 0, 32767000},
};

TransportSection transport_from(std::string_view text, const std::vector<std::string>& overrides = {}) {
  LoadResult result = load(text, overrides);
  INFO(all_errors(result));
  REQUIRE(result.config);
  return result.config->transport;
}

}  // namespace

TEST_CASE("[transport] keeps its plugin's keys raw, in file order, with locations", "[transport_keys]") {
  TransportSection transport = transport_from(R"([transport]
plugin = "tcp"
send_buffer = "1MiB"
listen = "127.0.0.1:7400"
nodelay = false
peers = ["127.0.0.1:7410"]
)");
  CHECK(transport.plugin == "tcp");
  CHECK(transport.listen == "127.0.0.1:7400");
  CHECK(transport.peers == std::vector<std::string>{"127.0.0.1:7410"});
  CHECK(transport.location.line == 1);
  CHECK(transport.plugin_location.line == 2);
  CHECK(transport.plugin_location.column == 10);
  REQUIRE(transport.keys.size() == 2);
  CHECK(transport.keys[0].name == "send_buffer");
  CHECK(transport.keys[0].location.line == 3);
  CHECK(std::get<std::string>(transport.keys[0].raw) == "1MiB");
  CHECK(transport.keys[1].name == "nodelay");
  CHECK_FALSE(std::get<bool>(transport.keys[1].raw));
}

TEST_CASE("without [transport] the transport is located at the file", "[transport_keys]") {
  TransportSection transport = transport_from("[node]\nname = \"a\"\n");
  CHECK(transport.keys.empty());
  CHECK(transport.location.file == "test.toml");
  CHECK(transport.location.line == 0);
  CHECK(transport.plugin_location.line == 0);

  transport = transport_from("[transport]\nlisten = \"127.0.0.1:1\"\n");
  CHECK(transport.plugin_location.line == 1);  // not set: the section's header
}

TEST_CASE("transport.KEY overrides reach the plugin's keys", "[transport_keys]") {
  TransportSection transport =
      transport_from("[transport]\nnodelay = true\n", {"transport.nodelay=false", "transport.send_buffer=\"64KiB\""});
  REQUIRE(transport.keys.size() == 2);
  CHECK(transport.keys[0].name == "nodelay");
  CHECK(transport.keys[0].location.file == "--set");
  CHECK_FALSE(std::get<bool>(transport.keys[0].raw));
  CHECK(transport.keys[1].name == "send_buffer");

  transport = transport_from("", {"transport.plugin=uds", "transport.backlog=8"});
  CHECK(transport.plugin == "uds");
  CHECK(transport.plugin_location.file == "--set");
  REQUIRE(transport.keys.size() == 1);
  CHECK(std::get<int64_t>(transport.keys[0].raw) == 8);
}

TEST_CASE("a transport key no plugin could take is an error at load", "[transport_keys]") {
  LoadResult result = load("[transport]\nextra = { a = 1 }\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].to_string() ==
        "test.toml:2:9: transport.extra: expected a string, integer, float, boolean or array of strings, got a table");
  result = load_defaults({"transport.a.b=1"});
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].key == "transport.a.b");
}

TEST_CASE("transport keys are validated under the label transport", "[transport_keys]") {
  TransportSection transport = transport_from(R"([transport]
send_buffer = "2GiB"
nodelay = "no"
keepalive_idel = "30s"
)",
                                              {"transport.keepalive_idle=30"});
  PluginValues values;
  auto errors = validate_plugin_keys(plugin_table(transport), tcp_keys, values);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].to_string() == "test.toml:2:1: transport.send_buffer: expected a size in 0B..1GiB, got \"2GiB\"");
  CHECK(errors[1].to_string() == "test.toml:3:1: transport.nodelay: expected true or false, got \"no\" (a string)");
  CHECK(errors[2].to_string() ==
        "test.toml:4:1: transport.keepalive_idel: unknown key for transport plugin \"tcp\"; did you mean "
        "\"keepalive_idle\"?");
  CHECK_THAT(errors[3].to_string(), Catch::StartsWith("--set transport.keepalive_idle: expected a duration"));
  CHECK(values.values.empty());
}
