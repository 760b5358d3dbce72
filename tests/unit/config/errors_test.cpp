#include <catch2/catch.hpp>

#include "support.hpp"

using namespace ferry::config;
using test::all_errors;
using test::find_error;
using test::load;

TEST_CASE("errors print as FILE:LINE:COL: KEY: MESSAGE", "[errors]") {
  CHECK(ConfigError{"a.toml", 3, 7, "log.level", "bad"}.to_string() == "a.toml:3:7: log.level: bad");
  CHECK(ConfigError{"--set", 0, 0, "log.level", "bad"}.to_string() == "--set log.level: bad");
  CHECK(ConfigError{"--set", 0, 0, "", "bad"}.to_string() == "--set: bad");
  CHECK(ConfigError{"a.toml", 0, 0, "stream.default_sink", "bad"}.to_string() == "a.toml: stream.default_sink: bad");
  CHECK(ConfigError{"a.toml", 1, 2, "", "bad"}.to_string() == "a.toml:1:2: bad");
}

TEST_CASE("an unknown key in a known section is an error with a suggestion", "[errors]") {
  LoadResult result = load("[communication]\nack_treshold = 5\n");
  CHECK_FALSE(result.config);
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].to_string() ==
        "test.toml:2:1: communication.ack_treshold: unknown key in [communication]; did you mean \"ack_threshold\"?");

  result = load("[log]\ncolour = true\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].message == "unknown key in [log]; known keys: level, format");
}

TEST_CASE("an unknown section or top-level key is an error", "[errors]") {
  LoadResult result = load("[nodes]\nname = \"x\"\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].to_string() == "test.toml:1:2: nodes: unknown section; did you mean \"node\"?");

  result = load("verbose = true\n[tls]\nenabled = false\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].key == "verbose");
  CHECK_THAT(result.errors[0].message, Catch::StartsWith("unknown key; known sections: node, transport"));

  result = load("[communication.extra]\nx = 1\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].key == "communication.extra");
}

TEST_CASE("a value of the wrong type is an error, never silently ignored", "[errors]") {
  LoadResult result = load(R"([communication]
ack_threshold = "64"
paired_connections = "yes"
[node]
plugin_dirs = 5
name = 7
[stream]
chunk_size = 1.5
keepalive_interval = true
)");
  CHECK_FALSE(result.config);
  INFO(all_errors(result));
  CHECK(result.errors.size() == 6);
  CHECK(find_error(result, "communication.ack_threshold")->to_string() ==
        "test.toml:2:17: communication.ack_threshold: expected an integer in 1..65535, got \"64\" (a string)");
  CHECK(find_error(result, "communication.paired_connections")->message ==
        "expected true or false, got \"yes\" (a string)");
  CHECK(find_error(result, "node.plugin_dirs")->message == "expected an array of strings, got 5 (an integer)");
  CHECK(find_error(result, "node.name")->message == "expected a string, got 7 (an integer)");
  CHECK_THAT(find_error(result, "stream.chunk_size")->message,
             Catch::StartsWith("expected a size in 4KiB..64MiB: an integer"));
  CHECK_THAT(find_error(result, "stream.keepalive_interval")->message, Catch::EndsWith("got true (a boolean)"));
}

TEST_CASE("an element of the wrong type in an array is located by index", "[errors]") {
  LoadResult result = load("[transport]\npeers = [\"a:1\", 2, \"\"]\n");
  REQUIRE(result.errors.size() == 2);
  CHECK(result.errors[0].to_string() == "test.toml:2:17: transport.peers[1]: expected a string, got 2 (an integer)");
  CHECK(result.errors[1].to_string() == "test.toml:2:20: transport.peers[2]: expected a non-empty string");
}

TEST_CASE("a section of the wrong type is an error", "[errors]") {
  LoadResult result = load("log = \"debug\"\n[[node]]\nname = \"a\"\n");
  REQUIRE(result.errors.size() == 2);
  CHECK(find_error(result, "log")->message == "expected a table [log], got \"debug\" (a string)");
  CHECK(find_error(result, "node")->message == "expected a table [node], got an array");
}

TEST_CASE("out-of-range values show the range in the user's units", "[errors]") {
  LoadResult result = load(R"([communication]
ack_threshold = 0
connections_per_peer = 17
max_message_size = "2GiB"
ack_interval = "2m"
[stream]
chunk_size = "1KiB"
max_retries = 101
)");
  INFO(all_errors(result));
  CHECK(result.errors.size() == 6);
  CHECK(find_error(result, "communication.ack_threshold")->message == "expected an integer in 1..65535, got 0");
  CHECK(find_error(result, "communication.connections_per_peer")->message == "expected an integer in 1..16, got 17");
  CHECK(find_error(result, "communication.max_message_size")->message == "expected a size in 1KiB..1GiB, got \"2GiB\"");
  CHECK(find_error(result, "communication.ack_interval")->message == "expected a duration in 1ms..1m, got \"2m\"");
  CHECK(find_error(result, "stream.chunk_size")->to_string() ==
        "test.toml:7:14: stream.chunk_size: expected a size in 4KiB..64MiB, got \"1KiB\"");
  CHECK(find_error(result, "stream.max_retries")->message == "expected an integer in 0..100, got 101");
}

TEST_CASE("a duration without a unit asks for one", "[errors]") {
  LoadResult result = load("[communication]\nidle_timeout = 600\nconnect_timeout = \"5 sec\"\n");
  REQUIRE(result.errors.size() == 2);
  CHECK(find_error(result, "communication.idle_timeout")->message ==
        "expected a duration in 0ms..7d, got 600 with no unit: write the unit, e.g. \"600s\" or \"600ms\"");
  CHECK_THAT(find_error(result, "communication.connect_timeout")->message,
             Catch::Contains("such as \"250ms\"") && Catch::EndsWith("got \"5 sec\" (a string)"));
}

TEST_CASE("a bad enumeration value names the allowed values", "[errors]") {
  LoadResult result = load("[log]\nlevel = \"loud\"\nformat = 1\n[tls]\nmin_version = 1.3\n");
  REQUIRE(result.errors.size() == 3);
  CHECK(result.errors[0].to_string() ==
        "test.toml:2:9: log.level: expected one of \"trace\", \"debug\", \"info\", "
        "\"warn\", \"error\", \"critical\", \"off\", got \"loud\"");
  CHECK(result.errors[1].message == "expected one of \"text\", \"json\", got 1 (an integer)");
  CHECK(result.errors[2].message == "expected one of \"1.2\", \"1.3\", got 1.3 (a float)");
}

TEST_CASE("communication.sendfile takes auto, always or never", "[errors]") {
  LoadResult result = load("[communication]\nsendfile = \"sometimes\"\n");
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].to_string() ==
        "test.toml:2:12: communication.sendfile: expected one of \"auto\", \"always\", \"never\", got \"sometimes\"");
  CHECK_FALSE(result.config);
}

TEST_CASE("string values are checked for their shape", "[errors]") {
  LoadResult result = load(R"([node]
id = "not-a-uuid"
name = "has space"
data_dir = ""
[protocol]
max_version = "v1"
[admin]
listen = "localhost"
[transport]
plugin = "TCP"
)");
  INFO(all_errors(result));
  CHECK(result.errors.size() == 6);
  CHECK_THAT(find_error(result, "node.id")->message, Catch::Contains("a UUID"));
  CHECK_THAT(find_error(result, "node.name")->message, Catch::Contains("got \"has space\""));
  CHECK(find_error(result, "node.data_dir")->message == "expected a non-empty string");
  CHECK_THAT(find_error(result, "protocol.max_version")->message, Catch::Contains("\"MAJOR.MINOR\""));
  CHECK_THAT(find_error(result, "admin.listen")->message, Catch::Contains("HOST:PORT"));
  CHECK_THAT(find_error(result, "transport.plugin")->message, Catch::Contains("lowercase"));
}

TEST_CASE("all errors are reported, not only the first", "[errors]") {
  LoadResult result = load(R"(bogus = 1
[node]
name = 5
[communication]
io_threads = 0
unknown = 1
[log]
level = "loud"
[[sink]]
plugin = "fs"
)");
  INFO(all_errors(result));
  CHECK_FALSE(result.config);
  CHECK(result.errors.size() == 6);
  CHECK(find_error(result, "sink[0].name"));
}
